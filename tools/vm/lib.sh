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
ovm_cache=${OFFLOADMOD_VM_CACHE:-${XDG_CACHE_HOME:-${HOME:-/root}/.cache}/offloadmod-vm}
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

# The kernel table (tools/vm/kernels): "name suite metapackage verified".
ovm_kernel_row() {
	awk -v k="$1" '!/^#/ && NF >= 4 && $1 == k { print; exit }' "$ovm_dir/kernels"
}

# Every kernel's name, in table order.
ovm_kernel_names() {
	awk '!/^#/ && NF >= 4 { print $1 }' "$ovm_dir/kernels"
}

ovm_check_kernel_name() {
	[ -n "$(ovm_kernel_row "$1")" ] ||
		ovm_die "unknown kernel '$1' (want one of: $(ovm_kernel_names | tr '\n' ' '))"
}

# The Debian suite whose build root serves kernel $1 ("-" for debug).
ovm_kernel_suite() {
	local row
	row=$(ovm_kernel_row "$1")
	set -- $row
	echo "$2"
}

# Resolve a kernel of the table to "<image package> <version> <release>"
# with its suite's apt (in the suite's build root, which tools/vm/suite-root
# creates or refreshes). Cached until that root's package lists change.
ovm_resolve_debian() {
	local row suite meta root pkg ver rel stamp lists
	row=$(ovm_kernel_row "$1")
	set -- $row
	suite=$2 meta=$3
	root=$("$ovm_dir/suite-root" "$suite") || exit 2
	lists=$root/var/lib/apt/lists
	stamp=$ovm_cache/resolve-$suite-$meta
	if [ -s "$stamp" ] && [ "$stamp" -nt "$lists" ]; then
		cat "$stamp"
		return
	fi
	# "Depends: linux-image-6.1.0-56-amd64": the metapackage's only
	# linux-image dependency is the current image package.
	pkg=$(chroot "$root" apt-cache depends "$meta" 2>/dev/null |
		sed -n 's/^ *Depends: \(linux-image-[^ ]*\)$/\1/p' | head -n1)
	[ -n "$pkg" ] || ovm_die "cannot resolve $meta in the $suite build root"
	ver=$(chroot "$root" apt-cache show --no-all-versions "$pkg" 2>/dev/null |
		sed -n 's/^Version: //p' | head -n1)
	[ -n "$ver" ] || ovm_die "apt-cache in the $suite root knows no version of $pkg"
	rel=${pkg#linux-image-}
	echo "$pkg $ver $rel" >"$stamp.$$" && mv "$stamp.$$" "$stamp"
	echo "$pkg $ver $rel"
}

# Is kernel $1 at version $2 newer than the version the table says was last
# verified? Prints that version and succeeds if so.
ovm_kernel_unverified() {
	local row
	row=$(ovm_kernel_row "$1")
	set -- $row "$2"
	[ "$4" != - ] || return 1
	dpkg --compare-versions "$5" gt "$4" || return 1
	echo "$4"
}

# Download and unpack a Debian kernel image (no install) with its suite's
# apt, then depmod it so the guest's modprobe works. Prints the unpacked
# root. 5.10-6.12 ship one linux-image-<rel> package (/boot/vmlinuz-<rel>,
# /lib/modules/<rel>); sid's 7.x splits it into linux-binary-<rel>,
# linux-modules-<rel> and linux-base-<rel>, with everything under
# /usr/lib/modules/<rel>/ (vmlinuz and config included): the packages of
# the same release that the image package depends on are unpacked together
# and the layout is normalised to boot/ and lib/modules/.
ovm_fetch_debian() {
	local suite=$1 pkg=$2 ver=$3 rel=$4 dir tmp root f
	local -a pkgs
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
	root=$("$ovm_dir/suite-root" "$suite") || exit 2
	mapfile -t pkgs < <(echo "$pkg"; chroot "$root" apt-cache depends "$pkg" 2>/dev/null |
		sed -n "s/^ *Depends: \(linux-[a-z]*-$rel\)$/\1/p")
	ovm_log "fetching ${pkgs[*]} $ver"
	rm -rf "$dir" "$dir.tmp"
	tmp=$dir.tmp
	mkdir -p "$tmp"
	# In the suite's root (its apt knows the suite); the download lands
	# in a tmpfs there and is unpacked here.
	"$ovm_dir/suite-root" "$suite" run /bin/sh -c '
		cd /tmp && apt-get download -q "$@" >&2 &&
		for d in /tmp/*.deb; do dpkg-deb -x "$d" "$0" || exit 1; done
	' "$tmp" "${pkgs[@]/%/=$ver}" 2>&1 | grep -v 'unsandboxed as root' >&2 || true
	if [ ! -d "$tmp/lib/modules/$rel" ] && [ -d "$tmp/usr/lib/modules/$rel" ]; then
		mkdir -p "$tmp/lib" "$tmp/boot"
		ln -s ../usr/lib/modules "$tmp/lib/modules"
		for f in vmlinuz config System.map; do
			[ ! -e "$tmp/usr/lib/modules/$rel/$f" ] ||
				ln -s "../usr/lib/modules/$rel/$f" "$tmp/boot/$f-$rel"
		done
	fi
	[ -f "$tmp/boot/vmlinuz-$rel" ] || ovm_die "${pkgs[*]}: no vmlinuz for $rel"
	[ -d "$tmp/lib/modules/$rel" ] || ovm_die "${pkgs[*]}: no modules for $rel"
	# Runs in $(...), where errexit is off: every step checked.
	depmod -b "$tmp" "$rel" || ovm_die "depmod of $rel failed"
	mv "$tmp" "$dir" || ovm_die "cannot move $tmp into place"
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
		if [ -f "$root/.done" ] && [ "$root/.done" -nt "$kdir/modules.builtin" ]; then
			echo "$root"	# another run made it meanwhile
			return
		fi
		rm -rf "$root"
		mkdir -p "$root/lib/modules/$rel"
		for f in modules.builtin modules.builtin.modinfo modules.order; do
			[ ! -f "$kdir/$f" ] || cp "$kdir/$f" "$root/lib/modules/$rel/"
		done
		depmod -b "$root" "$rel" || ovm_die "depmod of the debug module tree failed"
		ln -sfn "$kdir" "$root/lib/modules/$rel/build"
		touch "$root/.done"
	fi
	echo "$root"
}

# Sets, for kernel $1:
#   OVM_SUITE    its Debian suite (tools/vm/kernels), "-" for debug
#   OVM_BUILD_ROOT  that suite's build root (tools/vm/suite-root), where
#                modules for it are built; empty for debug (the host)
#   OVM_VERSION  its image package version, "-" for debug
#   OVM_RELEASE  uname -r of the kernel
#   OVM_BZIMAGE  the kernel image (bzImage)
#   OVM_BOOT_IMAGE  what qemu boots (see ovm_boot_image)
#   OVM_KDIR     where to build external modules against it, as seen
#                inside OVM_BUILD_ROOT (on the host for debug)
#   OVM_MODROOT  root holding lib/modules/<release>
#   OVM_IDENT    a string naming this exact kernel build (cache keys)
# With "nofetch" as $2, stop before downloading a Debian kernel: only
# OVM_RELEASE, OVM_VERSION and OVM_KDIR are set (the headers are there);
# with "resolve", only resolve the kernel (no headers, no download).
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
		OVM_SUITE=- OVM_BUILD_ROOT="" OVM_VERSION=-
		return
	fi
	OVM_SUITE=$(ovm_kernel_suite "$k")
	OVM_BUILD_ROOT=$ovm_cache/root-$OVM_SUITE
	pkg=$(ovm_resolve_debian "$k") || exit 2
	read -r pkg ver rel <<<"$pkg"
	OVM_VERSION=$ver
	OVM_RELEASE=$rel
	OVM_KDIR=/usr/src/linux-headers-$rel
	[ "$fetch" != resolve ] || return 0
	# External modules (offloadmod.ko) must be built against the headers
	# of exactly the kernel that boots. The suite's headers metapackage
	# can lag its image metapackage (sid, for hours): install the exact
	# headers package when the root lacks it.
	if [ ! -f "$OVM_BUILD_ROOT/usr/src/linux-headers-$rel/Makefile" ]; then
		"$ovm_dir/suite-root" "$OVM_SUITE" ensure "linux-headers-$rel" >&2 ||
			ovm_die "no linux-headers-$rel for kernel $k in the $OVM_SUITE build root"
	fi
	[ "$fetch" != nofetch ] || return 0
	dir=$(ovm_fetch_debian "$OVM_SUITE" "$pkg" "$ver" "$rel")
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
		# In $(...), errexit is off: a failure must not leave a
		# truncated initramfs under its permanent name.
		case "$m" in
		*.ko.xz) xz -dc "$moddir/$m" >"$dst" ;;
		*.ko.zst) zstd -qdc "$moddir/$m" >"$dst" ;;
		*.ko.gz) gzip -dc "$moddir/$m" >"$dst" ;;
		*) cp "$moddir/$m" "$dst" ;;
		esac || ovm_die "cannot unpack $m for the initramfs"
		basename "$dst" >>"$tmp/modules/order"
	done
	(cd "$tmp" && find . | LC_ALL=C sort | cpio --quiet -o -H newc -R 0:0) |
		gzip -1 >"$out.tmp"
	[ "${PIPESTATUS[0]}${PIPESTATUS[1]}" = 00 ] || ovm_die "writing $out.tmp failed"
	mv "$out.tmp" "$out" || ovm_die "cannot move $out.tmp into place"
	rm -rf "$tmp"
	echo "$out"
}
