# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# shellcheck disable=SC2034 # ovm_* and OVM_* are for the scripts sourcing this
#
# Shared code of the VM harness (tools/vm/run, tools/vm/kernel-info), sourced.
# Everything here resolves a kernel name (6.1, 6.12, debug) to the files
# needed to boot it and to build modules against it, and caches them.
#
# Cache layout, under $OFFLOADMOD_VM_CACHE (default ~/.cache/offloadmod-vm):
#   debian-<package>_<version>/  unpacked linux-image package, depmod'ed
#   resolve-<metapackage>        metapackage -> image package, version, release
#   initramfs-<release>-<hash>.cpio.gz
#   debug-<hash>/                debug kernel build tree (build-debug-kernel)

ovm_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# The repository is the directory two levels above tools/vm.
ovm_repo=$(cd "$ovm_dir/../.." && pwd)
ovm_cache=${OFFLOADMOD_VM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/offloadmod-vm}
ovm_prog=$(basename "$0")

ovm_log() { echo "$ovm_prog: $*" >&2; }
ovm_die() { echo "$ovm_prog: error: $*" >&2; exit 2; }

# Serialize cache updates between concurrent runs (make -j): the first run
# unpacks a kernel or builds an initramfs, the others wait for it. The lock
# is held on fd 8 until the (sub)shell that took it exits.
ovm_lock() {
	mkdir -p "$ovm_cache"
	exec 8>"$ovm_cache/.lock"
	flock 8
}

# Quote $1 as one POSIX shell word (the guest side is busybox sh).
ovm_q() {
	local s=${1//\'/\'\\\'\'}
	printf "'%s'" "$s"
}

ovm_check_kernel_name() {
	case "$1" in
	6.1|6.12|debug) ;;
	*) ovm_die "unknown kernel '$1' (want 6.1, 6.12 or debug)" ;;
	esac
}

# Metapackage that names the current Debian kernel of a series.
ovm_metapackage() {
	case "$1" in
	6.1) echo linux-image-amd64 ;;
	6.12) echo linux-image-6.12-amd64 ;;
	esac
}

# Resolve a Debian kernel series to "<image package> <version> <release>".
# apt-cache takes ~0.7 s, so the answer is cached until apt's lists change
# (apt-get update rewrites files in /var/lib/apt/lists, bumping its mtime).
ovm_resolve_debian() {
	local meta pkg ver rel stamp
	meta=$(ovm_metapackage "$1")
	stamp=$ovm_cache/resolve-$meta
	if [ -s "$stamp" ] && { [ ! -d /var/lib/apt/lists ] ||
	    [ "$stamp" -nt /var/lib/apt/lists ]; }; then
		cat "$stamp"
		return
	fi
	# "Depends: linux-image-6.1.0-56-amd64": the metapackage's only
	# linux-image dependency is the current image package.
	pkg=$(apt-cache depends "$meta" 2>/dev/null |
		sed -n 's/^ *Depends: \(linux-image-[^ ]*\)$/\1/p' | head -n1)
	[ -n "$pkg" ] || ovm_die "cannot resolve $meta with apt-cache (run apt-get update?)"
	ver=$(apt-cache show --no-all-versions "$pkg" 2>/dev/null |
		sed -n 's/^Version: //p' | head -n1)
	[ -n "$ver" ] || ovm_die "apt-cache knows no version of $pkg"
	rel=${pkg#linux-image-}
	mkdir -p "$ovm_cache"
	echo "$pkg $ver $rel" >"$stamp.tmp" && mv "$stamp.tmp" "$stamp"
	echo "$pkg $ver $rel"
}

# Download and unpack a Debian kernel image package (no install), then
# depmod it so the guest's modprobe works. Prints the unpacked root.
ovm_fetch_debian() {
	local pkg=$1 ver=$2 rel=$3 dir tmp deb
	dir=$ovm_cache/debian-${pkg}_$ver
	if [ -f "$dir/.done" ]; then
		echo "$dir"
		return
	fi
	# Runs in a subshell ($(...)): the lock goes when it exits.
	ovm_lock
	if [ -f "$dir/.done" ]; then
		echo "$dir"
		return
	fi
	ovm_log "fetching $pkg $ver"
	rm -rf "$dir" "$dir.tmp"
	tmp=$dir.tmp
	mkdir -p "$tmp/deb"
	# apt-get download drops privileges to _apt when it can; a private
	# directory it cannot write to only produces a warning, silence it.
	(cd "$tmp/deb" && apt-get download -q "$pkg=$ver" 2>&1 |
		grep -v 'unsandboxed as root' >&2) || true
	deb=$(find "$tmp/deb" -name '*.deb' | head -n1)
	[ -n "$deb" ] || ovm_die "apt-get download $pkg=$ver failed"
	dpkg-deb -x "$deb" "$tmp"
	rm -rf "$tmp/deb"
	[ -f "$tmp/boot/vmlinuz-$rel" ] || ovm_die "$pkg has no boot/vmlinuz-$rel"
	[ -d "$tmp/lib/modules/$rel" ] || ovm_die "$pkg has no lib/modules/$rel"
	depmod -b "$tmp" "$rel"
	# Lets the guest build against the kernel like an installed one.
	ln -sfn "/usr/src/linux-headers-$rel" "$tmp/lib/modules/$rel/build"
	mv "$tmp" "$dir"
	touch "$dir/.done"
	echo "$dir"
}

# Decompress the kernel inside a bzImage ($1) into an ELF vmlinux ($2). Under
# TCG the kernel's own decompressor takes ~3 s (xz); qemu boots the ELF
# directly through its PVH entry point instead. The compressed payload is
# located from the boot protocol header (setup_sects at 0x1f1,
# payload_offset/length at 0x248/0x24c), not by searching for magic bytes.
ovm_extract_vmlinux() {
	local bz=$1 out=$2 ss po pl start magic
	u() { od -An -tu"$1" -j "$2" -N"$1" "$bz" | tr -d ' '; }
	ss=$(u 1 $((0x1f1)))
	[ "$ss" != 0 ] || ss=4
	po=$(u 4 $((0x248)))
	pl=$(u 4 $((0x24c)))
	start=$(( (ss + 1) * 512 + po ))
	magic=$(od -An -tx1 -j "$start" -N4 "$bz" | tr -d ' ')
	# The payload ends with the 4-byte uncompressed size (size_append).
	payload() {
		dd if="$bz" iflag=skip_bytes,count_bytes skip="$start" \
			count=$((pl - 4)) bs=1M status=none
	}
	case "$magic" in
	fd377a58) payload | xz -dc --single-stream ;;
	28b52ffd) payload | zstd -qdc ;;
	1f8b*) payload | gzip -dc ;;
	*) return 1 ;;
	esac >"$out.tmp" || return 1
	[ "$(head -c4 "$out.tmp" | od -An -tx1 | tr -d ' ')" = 7f454c46 ] || return 1
	mv "$out.tmp" "$out"
}

# The image qemu boots: a decompressed vmlinux when the kernel has a PVH
# entry point (CONFIG_PVH; Debian's kernels do), else the bzImage.
# $1 bzImage, $2 kernel .config, $3 where to keep the vmlinux.
ovm_boot_image() {
	local bz=$1 config=$2 vmlinux=$3
	if grep -qx 'CONFIG_PVH=y' "$config" 2>/dev/null; then
		if [ ! -f "$vmlinux" ]; then
			ovm_lock
			[ -f "$vmlinux" ] || ovm_extract_vmlinux "$bz" "$vmlinux" ||
				ovm_log "cannot decompress $bz, booting it as is"
		fi
		if [ -f "$vmlinux" ]; then
			echo "$vmlinux"
			return
		fi
	fi
	echo "$bz"
}

ovm_debug_build() {
	"$ovm_dir/build-debug-kernel"
}

# A module tree for the debug kernel: no modules (what the tests need is
# built in), but modules.builtin lets `modprobe veth` succeed as on the stock
# kernels. Prints the root holding lib/modules/<release>.
ovm_debug_modroot() {
	local kdir=$1 rel=$2 root=$1/.offloadmod-modroot f
	if [ ! -f "$root/.done" ] || [ "$root/.done" -ot "$kdir/modules.builtin" ]; then
		ovm_lock	# in $(...): released when it returns
		rm -rf "$root"
		mkdir -p "$root/lib/modules/$rel"
		for f in modules.builtin modules.builtin.modinfo modules.order; do
			[ ! -f "$kdir/$f" ] || cp "$kdir/$f" "$root/lib/modules/$rel/"
		done
		depmod -b "$root" "$rel"
		ln -sfn "$kdir" "$root/lib/modules/$rel/build"
		touch "$root/.done"
	fi
	echo "$root"
}

# Sets, for kernel $1:
#   OVM_RELEASE  uname -r of the kernel
#   OVM_BZIMAGE  the kernel image (bzImage)
#   OVM_BOOT_IMAGE  what qemu boots (see ovm_boot_image)
#   OVM_KDIR     where to build external modules against it
#   OVM_MODROOT  root holding lib/modules/<release>
#   OVM_IDENT    a string naming this exact kernel build (cache keys)
# With "nofetch" as $2, stop before downloading a Debian kernel: only
# OVM_RELEASE and OVM_KDIR are set.
ovm_kernel_setup() {
	local k=$1 fetch=${2:-fetch} pkg ver rel dir
	ovm_check_kernel_name "$k"
	if [ "$k" = debug ]; then
		dir=$(ovm_debug_build) || ovm_die "building the debug kernel failed"
		OVM_RELEASE=$(cat "$dir/include/config/kernel.release")
		OVM_BZIMAGE=$dir/arch/x86/boot/bzImage
		OVM_KDIR=$dir
		# The build's own vmlinux is the ELF we need, when it has PVH.
		if grep -qx 'CONFIG_PVH=y' "$dir/.config"; then
			OVM_BOOT_IMAGE=$dir/vmlinux
		else
			OVM_BOOT_IMAGE=$OVM_BZIMAGE
		fi
		OVM_MODROOT=$(ovm_debug_modroot "$dir" "$OVM_RELEASE")
		OVM_IDENT="debug $dir $(stat -c %Y "$OVM_BZIMAGE")"
		return
	fi
	pkg=$(ovm_resolve_debian "$k") || exit 2
	read -r pkg ver rel <<<"$pkg"
	# External modules (offloadmod.ko) must be built against the headers
	# of exactly the kernel that boots.
	if [ ! -f "/usr/src/linux-headers-$rel/Makefile" ]; then
		ovm_die "kernel $k is $rel (from $(ovm_metapackage "$k")) but its headers are missing: apt-get install linux-headers-$rel"
	fi
	OVM_RELEASE=$rel
	OVM_KDIR=/usr/src/linux-headers-$rel
	[ "$fetch" != nofetch ] || return 0
	dir=$(ovm_fetch_debian "$pkg" "$ver" "$rel")
	OVM_BZIMAGE=$dir/boot/vmlinuz-$rel
	OVM_BOOT_IMAGE=$(ovm_boot_image "$OVM_BZIMAGE" "$dir/boot/config-$rel" "$dir/boot/vmlinux-$rel")
	OVM_MODROOT=$dir
	OVM_IDENT="$pkg $ver"
}

# Modules (paths relative to lib/modules/<release>) to insmod in the
# initramfs, in load order: the dependency closure of the virtio-pci and
# 9p drivers, from modules.dep, skipping what is built in or absent.
ovm_boot_modules() {
	local moddir=$1
	awk -v want="virtio_pci 9pnet_virtio 9p" '
		function name(p) { sub(/.*\//, "", p); sub(/\.ko(\.[a-z]+)?$/, "", p); gsub(/-/, "_", p); return p }
		# modules.dep lists a module'"'"'s dependencies so that loading
		# them last to first is a valid order: visit them that way.
		function visit(m,   n, i, d) {
			if (m in seen) return
			seen[m] = 1
			n = split(deps[m], d, " ")
			for (i = n; i >= 1; i--) visit(d[i])
			print m
		}
		{
			mod = $1; sub(/:$/, "", mod)
			rest = $0; sub(/^[^:]*:[ ]*/, "", rest)
			deps[mod] = rest
			path[name(mod)] = mod
		}
		END {
			n = split(want, w, " ")
			for (i = 1; i <= n; i++) if (w[i] in path) visit(path[w[i]])
		}' "$moddir/modules.dep"
}

# Build (or reuse) the initramfs for the kernel set up by ovm_kernel_setup.
# It holds busybox, /init (tools/vm/initramfs-init) and the boot modules,
# decompressed since busybox insmod cannot read .ko.xz. Prints its path.
ovm_initramfs() {
	local moddir=$OVM_MODROOT/lib/modules/$OVM_RELEASE key out tmp m dst
	local -a mods=()
	mapfile -t mods < <(ovm_boot_modules "$moddir")
	key=$( { echo "$OVM_IDENT"; printf '%s\n' "${mods[@]}";
		cat "$ovm_dir/initramfs-init" /bin/busybox; } | sha256sum | cut -c1-16)
	out=$ovm_cache/initramfs-$OVM_RELEASE-$key.cpio.gz
	if [ -f "$out" ]; then
		echo "$out"
		return
	fi
	ovm_lock
	if [ -f "$out" ]; then
		echo "$out"
		return
	fi
	tmp=$(mktemp -d "$ovm_cache/initramfs.XXXXXX")
	mkdir -p "$tmp/bin" "$tmp/dev" "$tmp/proc" "$tmp/sys" "$tmp/newroot" "$tmp/modules"
	cp /bin/busybox "$tmp/bin/busybox"
	ln -s busybox "$tmp/bin/sh"
	install -m 0755 "$ovm_dir/initramfs-init" "$tmp/init"
	: >"$tmp/modules/order"
	for m in "${mods[@]}"; do
		dst=$tmp/modules/$(basename "${m%%.ko*}").ko
		case "$m" in
		*.ko.xz) xz -dc "$moddir/$m" >"$dst" ;;
		*.ko.zst) zstd -qdc "$moddir/$m" >"$dst" ;;
		*.ko.gz) gzip -dc "$moddir/$m" >"$dst" ;;
		*) cp "$moddir/$m" "$dst" ;;
		esac
		basename "$dst" >>"$tmp/modules/order"
	done
	(cd "$tmp" && find . | LC_ALL=C sort | cpio --quiet -o -H newc -R 0:0) |
		gzip -1 >"$out.tmp"
	mv "$out.tmp" "$out"
	rm -rf "$tmp"
	echo "$out"
}
