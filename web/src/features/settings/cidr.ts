/** A first check of an address or CIDR before asking the server (which parses it properly). */
export function looksLikeCidr(value: string): boolean {
  const v = value.trim();
  const [address = '', prefix, extra] = v.split('/');
  if (extra !== undefined || !address) return false;
  if (prefix !== undefined && !/^\d{1,3}$/.test(prefix)) return false;
  const ipv4 = /^(\d{1,3})(\.\d{1,3}){3}$/.test(address) && address.split('.').every((p) => Number(p) <= 255);
  const ipv6 = address.includes(':') && /^[0-9a-fA-F:.]+$/.test(address);
  if (!ipv4 && !ipv6) return false;
  if (prefix !== undefined && Number(prefix) > (ipv4 ? 32 : 128)) return false;
  return true;
}
