/**
 * A node's status as data, and as text: who it is and why, its roles and their units, whether its files are what
 * boot would write, its certificates' expiry, and the last boot's timings. Pure: `clusterboot status` gathers the
 * sections (each may carry the error that kept it from being checked) and this module judges and formats them.
 *
 * @example
 * ```ts
 * const report = statusReport({ identity, roles, units, files, certificates, lastBoot });
 * console.log(formatStatus(report));
 * ```
 * @module
 */
import type { BootRecord } from "./boot_timeline.ts";
import { formatBlame } from "./boot_timeline.ts";

export interface IdentitySection {
  /** The node decided now from this machine's facts. */
  node?: string;
  /** How it was decided, e.g. "master-01 (MAC 52:54:00:20:00:11 on ens3)", or why it was not. */
  decidedBy?: string;
  /** The name the last boot wrote to /etc/cluster-config/node-identity. */
  recorded?: string;
  error?: string;
}

export interface UnitState {
  unit: string;
  /** systemd's ActiveState: active, inactive, failed, activating, ... */
  active: string;
  sub?: string;
}

export interface UnitsSection {
  targets: string[];
  units: UnitState[];
  /** Why the states were not asked for: a scratch root's units are not this machine's. Not a problem. */
  skipped?: string;
  /** Why asking failed (systemctl missing or refusing). */
  error?: string;
}

export interface DriftEntry {
  path: string;
  /** missing, content, mode, owner, kind — or extra: left by an earlier boot, no longer planned. */
  differences: string[];
}

export interface FilesSection {
  checked: number;
  drift: DriftEntry[];
  error?: string;
}

export interface CertificateState {
  path: string;
  subject: string;
  notAfter: string;
  daysLeft: number;
}

export interface CertificatesSection {
  certificates: CertificateState[];
  error?: string;
}

export interface StatusReport {
  identity: IdentitySection;
  roles: string[];
  units: UnitsSection;
  files: FilesSection;
  certificates: CertificatesSection;
  lastBoot?: BootRecord;
  /** Everything that needs an operator's attention, one line each; empty on a healthy node. */
  problems: string[];
}

/** Certificates closer to expiry than this are a problem worth showing. */
export const EXPIRY_WARNING_DAYS = 30;

/** The report with its problems judged from the sections. */
export function statusReport(sections: Omit<StatusReport, "problems">): StatusReport {
  const problems: string[] = [];
  const { identity, units, files, certificates, lastBoot } = sections;
  if (identity.error) problems.push(`identity: ${identity.error}`);
  else if (!identity.node) problems.push(`identity: ${identity.decidedBy ?? "not determined"}`);
  if (identity.node && identity.recorded && identity.node !== identity.recorded) {
    problems.push(`identity: this machine is ${identity.node} but the last boot wrote ${identity.recorded}`);
  }
  if (units.error) problems.push(`units: ${units.error}`);
  for (const unit of units.skipped || units.error ? [] : units.units) {
    if (unit.active !== "active") problems.push(`unit ${unit.unit} is ${unit.active}`);
  }
  if (files.error) problems.push(`files: ${files.error}`);
  if (files.drift.length) problems.push(`files: ${files.drift.length} differ from what boot would write`);
  if (certificates.error) problems.push(`certificates: ${certificates.error}`);
  for (const cert of certificates.certificates) {
    if (cert.daysLeft < 0) problems.push(`certificate ${cert.path} expired on ${cert.notAfter}`);
    else if (cert.daysLeft < EXPIRY_WARNING_DAYS) {
      problems.push(`certificate ${cert.path} expires in ${cert.daysLeft} days`);
    }
  }
  if (lastBoot?.outcome === "failed") problems.push(`last boot failed: ${lastBoot.error ?? "unknown error"}`);
  return { ...sections, problems };
}

/** The report for people: sections in the order an operator asks about them. */
export function formatStatus(report: StatusReport): string {
  const { identity, units, files, certificates, lastBoot } = report;
  const lines: string[] = [];
  lines.push(`node: ${identity.node ?? "(not determined)"}`);
  if (identity.error) lines.push(`  error: ${identity.error}`);
  else if (identity.decidedBy) lines.push(`  decided by: ${identity.decidedBy}`);
  lines.push(`  node-identity file: ${identity.recorded ?? "(absent)"}`);
  lines.push(`roles: ${report.roles.join(", ") || "(none known)"}`);
  lines.push(`targets: ${units.targets.join(", ") || "(none)"}`);
  lines.push("units:");
  if (units.skipped) lines.push(`  not asked: ${units.skipped}`);
  if (units.error) lines.push(`  not known: ${units.error}`);
  const width = Math.max(0, ...units.units.map((u) => u.unit.length));
  for (const unit of units.units) {
    lines.push(`  ${unit.unit.padEnd(width)}  ${unit.active}${unit.sub ? ` (${unit.sub})` : ""}`);
  }
  if (files.error) lines.push(`files: not checked: ${files.error}`);
  else if (files.drift.length === 0) lines.push(`files: ${files.checked} in sync with the configuration`);
  else {
    lines.push(`files: ${files.drift.length} of ${files.checked} differ from what boot would write:`);
    for (const entry of files.drift) lines.push(`  ${entry.path}: ${entry.differences.join(", ")}`);
  }
  lines.push("certificates:");
  if (certificates.error) lines.push(`  not checked: ${certificates.error}`);
  if (!certificates.error && certificates.certificates.length === 0) lines.push("  (none on this node)");
  for (const cert of certificates.certificates) {
    lines.push(`  ${cert.path}: ${cert.subject}, until ${cert.notAfter} (${cert.daysLeft} days)`);
  }
  if (lastBoot) lines.push("last boot:", ...formatBlame(lastBoot).split("\n").map((line) => `  ${line}`));
  else lines.push("last boot: (no record)");
  lines.push(
    report.problems.length ? `problems:\n${report.problems.map((p) => `  ${p}`).join("\n")}` : "problems: none",
  );
  return lines.join("\n");
}
