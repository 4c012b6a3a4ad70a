#!/bin/sh
# xorriso as grub-mkrescue calls it, made reproducible from SOURCE_DATE_EPOCH.
date=$(date -u -d "@$SOURCE_DATE_EPOCH" +%Y%m%d%H%M%S00)
serial=$(printf '%08x' "$SOURCE_DATE_EPOCH")
args=""
prev=""
for arg in "$@"; do
  case "$arg" in
    --modification-date=*) arg="--modification-date=$date" ;;
  esac
  if [ "$prev" = "-r" ] && [ -f "$arg/efi.img" ]; then
    # The EFI image's FAT volume serial (offset 39) is random: fix it.
    printf "$(echo "$serial" | sed 's/\(..\)\(..\)\(..\)\(..\)/\\x\4\\x\3\\x\2\\x\1/')" | dd of="$arg/efi.img" bs=1 seek=39 count=4 conv=notrunc 2>/dev/null
  fi
  prev="$arg"
  set -- "$@" "$arg"
  shift
done
exec xorriso "$@" -- -boot_image any gpt_disk_guid=modification-date -volume_date all_file_dates "=$SOURCE_DATE_EPOCH"
