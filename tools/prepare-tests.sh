#!/usr/bin/env bash
# What the tests need on this machine, installed once: the real daemons and tools from Debian (openssl,
# ceph-mon/osd, mosquitto, etcd, containerd, systemd-analyze, kcat, dig; the image builder's tools and QEMU) and
# what Debian lacks: Kubernetes and CoreDNS built from their Go modules, Kafka's jars from Maven Central (cached
# outside the clone). Quiet when all is there.
set -uo pipefail
cd "$(dirname "$0")/.."

missing=()
need() { # package command: queue the package when its command is not on PATH
  command -v "$2" >/dev/null 2>&1 || missing+=("$1")
}
need systemd systemd-analyze
need openssl openssl
need ceph-common ceph-authtool
need mosquitto mosquitto
need mosquitto-clients mosquitto_pub
need etcd-server etcd
need etcd-client etcdctl
need containerd containerd
need ceph-mon ceph-mon
need ceph-osd ceph-osd
need kcat kcat
need dnsutils dig
need iproute2 ip
need util-linux unshare
need strace strace
need curl curl
# The build's static C launcher (the shell launcher is the fallback): a compiler and the static C library.
need gcc cc
[ -f /usr/lib/x86_64-linux-gnu/libc.a ] || missing+=(libc6-dev)
# A terminal for the console-choice tests.
need tmux tmux
# The topology picture's renderers: rsvg-convert draws the SVG, Graphviz reads the DOT.
need librsvg2-bin rsvg-convert
need graphviz dot
# The shells whose completion scripts are tested.
need zsh zsh
need fish fish
# The image builder and the machines of the end-to-end tests.
need debootstrap debootstrap
need squashfs-tools mksquashfs
need xorriso xorriso
need grub-common grub-mkrescue
need mtools mformat
need qemu-system-x86 qemu-system-x86_64
[ -d /usr/lib/grub/i386-pc ] || missing+=(grub-pc-bin)
[ -d /usr/lib/grub/x86_64-efi ] || missing+=(grub-efi-amd64-bin)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
    echo "missing: ${missing[*]} (install them as root with apt-get; the tests that need them will fail)" >&2
  else
    echo "installing from Debian: ${missing[*]}" >&2
    log=$(mktemp)
    if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"; } >"$log" 2>&1; then
      cat "$log" >&2
      echo "could not install ${missing[*]}: the tests that need them will fail" >&2
    fi
    rm -f "$log"
  fi
fi

# Kubernetes and CoreDNS from their Go modules, Kafka from Maven Central: minutes the first time, instant once
# cached outside the clone.
bash tools/build-kubernetes.sh >/dev/null || echo "the Kubernetes build failed: its conformance tests will fail" >&2
bash tools/build-coredns.sh >/dev/null || echo "the CoreDNS build failed: its conformance test will fail" >&2
bash tools/fetch-kafka.sh >/dev/null || echo "fetching Kafka failed: its conformance test will fail" >&2
