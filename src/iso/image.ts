/**
 * What the image holds, as data: the Debian packages every role needs (one image boots every machine), the units
 * those packages enable that only clusterboot may start, the users daemons run as, and where clusterboot's own
 * files go. Pure; the builder carries it out.
 *
 * @module
 */

/** Debian release the image is built from. */
export const SUITE = "bookworm";

/** debootstrap's minimal base plus what booting a live system needs. */
export const BASE_PACKAGES = [
  "systemd",
  "systemd-sysv",
  "udev",
  "linux-image-amd64",
  "live-boot",
  "iproute2",
  "kmod",
  "procps",
  "ca-certificates",
  "e2fsprogs",
  "util-linux",
] as const;

/** The daemons of every role and their tools, from Debian; installed in the chroot after debootstrap. */
export const ROLE_PACKAGES = [
  // Configured in the chroot with /proc mounted (its post-install fails inside debootstrap).
  "systemd-resolved",
  "etcd-server",
  "etcd-client",
  "containerd",
  "containernetworking-plugins",
  "iptables",
  "conntrack",
  "mosquitto",
  // mosquitto_pub/_sub: how an operator checks a broker from any node.
  "mosquitto-clients",
  "ceph-mon",
  "ceph-osd",
  "ceph-common",
  "openjdk-17-jre-headless",
] as const;

/**
 * Units the packages enable for themselves. Only cluster-detect.service may start a role's daemons (through its
 * targets), so these are disabled; Ceph's own ceph.target would otherwise pull in our ceph-mon/ceph-osd targets on
 * every machine.
 */
export const DISABLED_UNITS = [
  "ceph.target",
  "ceph-mon.target",
  "ceph-osd.target",
  "ceph-crash.service",
  "containerd.service",
  "etcd.service",
  "mosquitto.service",
  "rbdmap.service",
  "smartmontools.service",
  "nvmefc-boot-connections.service",
  "nvmf-autoconnect.service",
  "apt-daily.timer",
  "apt-daily-upgrade.timer",
  "dpkg-db-backup.timer",
] as const;

/** Units the image enables. */
export const ENABLED_UNITS = ["systemd-networkd.service", "systemd-resolved.service"] as const;

/** Users the packages do not create (etcd, ceph and mosquitto come with theirs). */
export const SYSTEM_USERS = [
  { name: "kafka", home: "/var/lib/kafka" },
  { name: "coredns", home: "/nonexistent" },
] as const;

/** Where clusterboot's own files and the software Debian lacks go in the image. */
export const IMAGE_PATHS = {
  clusterbootDir: "/usr/local/lib/clusterboot",
  clusterboot: "/usr/local/bin/clusterboot",
  binDir: "/usr/local/bin",
  kafkaLibs: "/opt/kafka/libs",
  config: "/etc/cluster-config",
  secrets: "/etc/cluster-config/secrets",
  units: "/etc/systemd/system",
} as const;

/** Waiting for one link, with a bound: a node with a second, unplugged NIC must still come up. */
export const WAIT_ONLINE_DROPIN = `# clusterboot: online once one link is configured, and never wait forever
[Service]
ExecStart=
ExecStart=/lib/systemd/systemd-networkd-wait-online --any --timeout=60
`;

/** The boot menu: live-boot stacks every /live/*.squashfs, base first, payload over it. */
export function grubConfig(label: string): string {
  return `set timeout=1
set default=0
serial --unit=0 --speed=115200
terminal_input serial console
terminal_output serial console
menuentry "${label}" {
  linux /live/vmlinuz boot=live components quiet console=tty0 console=ttyS0,115200n8
  initrd /live/initrd.img
}
`;
}
