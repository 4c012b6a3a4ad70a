/**
 * Setting the running kernel's hostname. systemd set it from /etc/hostname before boot could write that file, so
 * boot sets it again when it differs.
 *
 * @module
 */

const KERNEL_HOSTNAME = "/proc/sys/kernel/hostname";

/** Sets the live hostname if it differs; returns whether it changed. */
export function setLiveHostname(name: string): boolean {
  const current = Deno.readTextFileSync(KERNEL_HOSTNAME).trim();
  if (current === name) return false;
  Deno.writeTextFileSync(KERNEL_HOSTNAME, name);
  return true;
}
