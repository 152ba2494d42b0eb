/**
 * What the client's request headers say, reduced to classes at once (IAM-14, DAT-05): the User-Agent becomes a
 * browser family, major version and OS, plus automation flags; nothing of the raw string is kept. A long-lived
 * random device cookie (`__Host-strongroom_device`, HttpOnly, Secure, SameSite=Strict) recognises a returning
 * browser; only its keyed hash is stored. Signals live in memory for the request they came with, no longer.
 */
import { newSecret } from '../../platform/ids.ts';

export const DEVICE_COOKIE = '__Host-strongroom_device';
const DEVICE_ID = /^[A-Za-z0-9_-]{32,64}$/;

export type BrowserFamily = 'chrome' | 'edge' | 'firefox' | 'safari' | 'opera' | 'other' | 'none';
export type OsFamily = 'windows' | 'macos' | 'linux' | 'android' | 'ios' | 'chromeos' | 'other';

export interface UaClass {
  family: BrowserFamily;
  major: number | null;
  os: OsFamily;
  /** A script, HTTP library or API tool (curl, python-requests, Go, Postman…). */
  script: boolean;
  /** A headless or automated browser (HeadlessChrome, PhantomJS, Selenium, Puppeteer…). */
  headless: boolean;
  /** A declared crawler or bot. */
  bot: boolean;
  /** Too short, too long or not the shape of any browser. */
  malformed: boolean;
}

export interface ClientSignals {
  ua: UaClass;
  hasUserAgent: boolean;
  hasAccept: boolean;
  hasAcceptLanguage: boolean;
  hasFetchMetadata: boolean;
  /** Platform from the `Sec-CH-UA-Platform` client hint, when sent. */
  hintPlatform: OsFamily | null;
  /** The device cookie's id: the one the browser sent, or a new one to set. */
  deviceId: string;
  deviceIsNew: boolean;
  /** Set when a sign-in completed without a known device cookie: the answer sets one. */
  setCookie?: boolean;
}

const SCRIPT =
  /\b(curl|wget|python-requests|python-urllib|python-httpx|aiohttp|httpx|go-http-client|okhttp|axios|node-fetch|undici|got\b|postmanruntime|insomnia|httpie|libwww-perl|lwp::|ruby|powershell|apache-httpclient|java\/|scrapy|deno\/|bun\/|reqwest|rest-client|winhttp|mechanize|guzzle|dart:io|cpp-httplib)/i;
const HEADLESS = /(headlesschrome|phantomjs|selenium|webdriver|puppeteer|playwright|slimerjs|htmlunit|electron\/)/i;
const BOT =
  /(bot\b|bot\/|crawler|spider|slurp|facebookexternalhit|embedly|preview|monitor|uptime|scanner|nikto|sqlmap|nmap|masscan|zgrab|nuclei)/i;

export function classifyUserAgent(raw: string | undefined): UaClass {
  const ua = (raw ?? '').trim();
  const out: UaClass = {
    family: 'none',
    major: null,
    os: 'other',
    script: false,
    headless: false,
    bot: false,
    malformed: false,
  };
  if (!ua) return out;
  out.script = SCRIPT.test(ua);
  out.headless = HEADLESS.test(ua);
  out.bot = BOT.test(ua);
  // a declared script or bot is what it says; only unclassifiable strings count as malformed
  out.malformed = !out.script && !out.bot && (ua.length < 12 || ua.length > 512 || !/^[\x20-\x7e]+$/.test(ua));
  const major = (re: RegExp) => {
    const m = re.exec(ua);
    return m?.[1] ? Number(m[1]) : null;
  };
  if (/\bEdg(e|A|iOS)?\/(\d+)/.test(ua)) {
    out.family = 'edge';
    out.major = major(/\bEdg(?:e|A|iOS)?\/(\d+)/);
  } else if (/\b(OPR|Opera)\/(\d+)/.test(ua)) {
    out.family = 'opera';
    out.major = major(/\b(?:OPR|Opera)\/(\d+)/);
  } else if (/\b(Chrome|Chromium|HeadlessChrome|CriOS)\/(\d+)/.test(ua)) {
    out.family = 'chrome';
    out.major = major(/\b(?:Chrome|Chromium|HeadlessChrome|CriOS)\/(\d+)/);
  } else if (/\b(Firefox|FxiOS)\/(\d+)/.test(ua)) {
    out.family = 'firefox';
    out.major = major(/\b(?:Firefox|FxiOS)\/(\d+)/);
  } else if (/\bVersion\/(\d+).*Safari\//.test(ua)) {
    out.family = 'safari';
    out.major = major(/\bVersion\/(\d+)/);
  } else out.family = 'other';
  if (/\b(iPhone|iPad|iPod)\b/.test(ua)) out.os = 'ios';
  else if (/\bAndroid\b/.test(ua)) out.os = 'android';
  else if (/\bCrOS\b/.test(ua)) out.os = 'chromeos';
  else if (/\bWindows\b/.test(ua)) out.os = 'windows';
  else if (/\bMac OS X\b|\bMacintosh\b/.test(ua)) out.os = 'macos';
  else if (/\bLinux\b|\bX11\b/.test(ua)) out.os = 'linux';
  if (out.family === 'other' && !/^Mozilla\/5\.0 \(/.test(ua) && !out.script && !out.bot) out.malformed = true;
  return out;
}

/** A class label safe to store and show: family, OS and automation kind, never the string. */
export function uaClassLabel(c: UaClass): string {
  const kind = c.script ? 'script' : c.bot ? 'bot' : c.headless ? 'headless' : c.family;
  return `${kind}:${c.os}`;
}

function hintPlatform(raw: string | undefined): OsFamily | null {
  if (!raw) return null;
  const v = raw.replace(/"/g, '').trim().toLowerCase();
  const map: Record<string, OsFamily> = {
    windows: 'windows',
    macos: 'macos',
    linux: 'linux',
    android: 'android',
    ios: 'ios',
    'chrome os': 'chromeos',
    chromeos: 'chromeos',
  };
  return map[v] ?? 'other';
}

type Headers = Record<string, string | string[] | undefined>;
const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

export function signalsFrom(headers: Headers, cookies: Record<string, string | undefined>): ClientSignals {
  const ua = one(headers['user-agent']);
  const cookie = cookies[DEVICE_COOKIE];
  const known = cookie !== undefined && DEVICE_ID.test(cookie);
  return {
    ua: classifyUserAgent(ua),
    hasUserAgent: Boolean(ua?.trim()),
    hasAccept: Boolean(one(headers.accept)),
    hasAcceptLanguage: Boolean(one(headers['accept-language'])),
    hasFetchMetadata: Boolean(one(headers['sec-fetch-site']) || one(headers['sec-fetch-mode'])),
    hintPlatform: hintPlatform(one(headers['sec-ch-ua-platform'])),
    deviceId: known ? (cookie as string) : newSecret(24),
    deviceIsNew: !known,
  };
}

/** Browsers that send Fetch Metadata headers on every request (Chrome 80+, Edge 80+, Firefox 90+, Safari 17+). */
export function sendsFetchMetadata(c: UaClass): boolean {
  if (c.major === null) return false;
  if (c.family === 'chrome' || c.family === 'edge' || c.family === 'opera') return c.major >= 80;
  if (c.family === 'firefox') return c.major >= 90;
  if (c.family === 'safari') return c.major >= 17;
  return false;
}

/** Releases older than about four years at the end of 2026 (security fixes long gone). */
export function isOutdated(c: UaClass): boolean {
  if (c.major === null) return false;
  if (c.family === 'chrome' || c.family === 'edge') return c.major < 100;
  if (c.family === 'firefox') return c.major < 100;
  if (c.family === 'safari') return c.major < 15;
  return false;
}
