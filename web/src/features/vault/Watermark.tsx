/**
 * A diagonal watermark over revealed data: the viewer's email and the current time, repeated, low-contrast
 * but visible in both themes, so a photo or screenshot of the screen says who looked and when. It takes no
 * clicks and no selection (`pointer-events`/`user-select: none`), so values under it can still be selected and
 * copied without it. Hidden from assistive technology, which reads the caption beside the record instead.
 */
const ROWS = 14;
const REPEAT = 6;

export function Watermark({ text }: { text: string }) {
  const line = `${text}\u2003\u2003`.repeat(REPEAT);
  return (
    <div
      aria-hidden="true"
      data-testid="reveal-watermark"
      style={{
        position: 'absolute',
        inset: 0,
        overflow: 'hidden',
        pointerEvents: 'none',
        userSelect: 'none',
        zIndex: 2,
      }}
    >
      <div
        style={{
          position: 'absolute',
          top: '-75%',
          left: '-75%',
          width: '250%',
          height: '250%',
          transform: 'rotate(-28deg)',
          display: 'flex',
          flexDirection: 'column',
          justifyContent: 'space-around',
          color: 'var(--mantine-color-text)',
          opacity: 0.14,
          fontSize: 14,
          fontWeight: 600,
          letterSpacing: '0.02em',
          whiteSpace: 'nowrap',
        }}
      >
        {Array.from({ length: ROWS }, (_, i) => (
          // staggered rows, so the text does not line up into columns that are easy to crop around
          <div key={`row-${i.toString()}`} style={{ marginLeft: i % 2 ? '-9em' : 0 }}>
            {line}
          </div>
        ))}
      </div>
    </div>
  );
}
