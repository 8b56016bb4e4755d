# Private Debian roots made with mmdebstrap, and commands run in them (sourced, bash).
# Used by scripts/trixie-make (trixie's tool chain for the lab's module builds) and
# scripts/crash-trixie (trixie's crash and pcmd5.so built against its defs.h).
# Needs tests/lab/lib.sh sourced first (lab_apt_update, lab_apt_state: the lab's private apt
# sources, generated from the host's apt configuration at run time: no mirror is written).
# shellcheck shell=bash

# debroot_ensure DIR KIND SUITE ARCH KEY PKGS...: print the root DIR/KIND-KEY, made once
# (mmdebstrap --variant=essential of SUITE ARCH plus PKGS) under the lock DIR/.lock; the
# other roots of the same kind, DIR/KIND-* (older keys), are removed when a new one is made,
# so roots of other kinds in DIR stay (KIND must not be a prefix of another kind followed by
# "-"). The caller's KEY must hash everything the root is made from (package list, recipe).
# Progress on stderr.
debroot_ensure() {
	local dir=$1 kind=$2 suite=$3 arch=$4 key=$5
	shift 5
	local pkgs=("$@") root=$dir/$kind-$key new inc sources d
	if [ ! -f "$root/.complete" ]; then
		mkdir -p "$dir"
		exec 9>"$dir/.lock"
		flock 9
		if [ ! -f "$root/.complete" ]; then
			command -v mmdebstrap >/dev/null || lab_die "mmdebstrap missing (apt-get install mmdebstrap)"
			lab_apt_update "$suite" "$arch"
			sources=$(lab_apt_state "$suite" "$arch")/etc/sources.list
			lab_log "mmdebstrap $suite $arch with ${pkgs[*]} (once; cached in $dir)"
			new=$dir/.new-$kind-$key
			rm -rf "$new"
			inc=$(
				IFS=,
				echo "${pkgs[*]}"
			)
			if ! nice -n 10 mmdebstrap --variant=essential --architectures="$arch" --include="$inc" \
				--aptopt='Acquire::Languages "none"' \
				--customize-hook='rm -rf "$1"/var/cache/apt/archives/*.deb "$1"/var/lib/apt/lists/*_Packages' \
				"$suite" "$new" "$sources" >"$dir/mmdebstrap.log" 2>&1; then
				tail -20 "$dir/mmdebstrap.log" >&2
				rm -rf "$new"
				lab_die "mmdebstrap $suite failed (log: $dir/mmdebstrap.log)"
			fi
			for d in "$dir/$kind"-*; do
				[ -e "$d" ] && rm -rf "$d"
			done
			mv -T "$new" "$root"
			date -u +%FT%TZ >"$root/.complete"
			lab_log "root ready: $root ($(du -sh "$root" | cut -f1))"
		fi
		exec 9>&-
	fi
	echo "$root"
}

# debroot_exec ROOT N DIR... CMD ARGS...: exec CMD (a path inside ROOT) under chroot ROOT in a
# private mount namespace, working directory /, with /dev, /proc and the N directories DIR...
# bind-mounted at their host paths (so paths in the arguments mean the same inside and outside)
# and a clean environment (PATH, LC_ALL, HOME=/). Needs root.
debroot_exec() {
	exec unshare -m --propagation private -- /bin/sh -eu -c '
		root=$1 n=$2
		shift 2
		mount --rbind /dev "$root/dev"
		mount -t proc proc "$root/proc"
		while [ "$n" -gt 0 ]; do
			mkdir -p "$root$1"
			mount --bind "$1" "$root$1"
			shift
			n=$((n - 1))
		done
		exec chroot "$root" /usr/bin/env -i PATH=/usr/bin:/bin LC_ALL=C.UTF-8 HOME=/ "$@"
	' debroot "$@"
}
