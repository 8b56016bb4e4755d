# Common helpers for the pcsleuth lab (sourced, bash).
# shellcheck shell=bash
LAB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
LAB_TOP=$(cd "$LAB_DIR/../.." && pwd)
PCSLEUTH_CACHE=${PCSLEUTH_CACHE:-$HOME/.cache/pcsleuth}
export PCSLEUTH_CACHE

lab_log() { echo "lab: $*" >&2; }
lab_die() { echo "lab: error: $*" >&2; exit 1; }

# lab_mirrors: print the Debian archive URIs configured on the host (deb822 .sources files,
# else the one-line sources.list), so no mirror host is ever written into the repository.
lab_mirrors() {
	{
		cat /etc/apt/sources.list.d/*.sources 2>/dev/null |
			awk '/^Types:/ { deb = ($0 ~ /[ \t]deb([ \t]|$)/) } /^URIs:/ && deb { for (i = 2; i <= NF; i++) print $i }'
		[ -r /etc/apt/sources.list ] &&
			awk '$1 == "deb" { for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\//) { print $i; break } }' /etc/apt/sources.list
	} | awk '!seen[$0]++'
}

# lab_apt_state SUITE ARCH: create (once) a private apt state and print its dir.
lab_apt_state() {
	local suite=$1 arch=$2 d uri kind
	d=$PCSLEUTH_CACHE/apt/$suite-$arch
	mkdir -p "$d/lists/partial" "$d/cache/archives/partial" "$d/etc/preferences.d" "$d/etc/sources.list.d" "$d/etc/apt.conf.d"
	: >"$d/status.tmp" && { [ -e "$d/status" ] || mv "$d/status.tmp" "$d/status"; }
	rm -f "$d/status.tmp"
	if [ ! -s "$d/etc/sources.list" ]; then
		local kr=/usr/share/keyrings/debian-archive-keyring.gpg
		: >"$d/etc/sources.list.new"
		while read -r uri; do
			case "$uri" in
			*security*) [ "${APT_SECURITY:-1}" = 0 ] || echo "deb [arch=$arch signed-by=$kr] $uri $suite-security main" ;;
			*) echo "deb [arch=$arch signed-by=$kr] $uri $suite main"
			   echo "deb [arch=$arch signed-by=$kr] $uri $suite-updates main" ;;
			esac
		done < <(lab_mirrors) >>"$d/etc/sources.list.new"
		[ -s "$d/etc/sources.list.new" ] || lab_die "no apt URIs found in /etc/apt/sources.list.d"
		mv "$d/etc/sources.list.new" "$d/etc/sources.list"
	fi
	echo "$d"
}

# lab_apt SUITE ARCH apt-get-args...: run apt-get with the private state.
lab_apt() {
	local suite=$1 arch=$2 d
	shift 2
	d=$(lab_apt_state "$suite" "$arch")
	apt-get -q \
		-o Dir::Etc::SourceList="$d/etc/sources.list" \
		-o Dir::Etc::SourceParts="$d/etc/sources.list.d" \
		-o Dir::Etc::Preferences="$d/etc/preferences" \
		-o Dir::Etc::PreferencesParts="$d/etc/preferences.d" \
		-o Dir::Etc::Parts="$d/etc/apt.conf.d" \
		-o Dir::State="$d" -o Dir::State::Lists="$d/lists" \
		-o Dir::State::status="$d/status" \
		-o Dir::Cache="$d/cache" -o Dir::Cache::archives="$d/cache/archives" \
		-o Debug::NoLocking=1 \
		-o APT::Architecture="$arch" -o APT::Architectures="$arch" \
		-o Acquire::Languages=none \
		"$@"
}

lab_apt_cache() {
	local suite=$1 arch=$2 d
	shift 2
	d=$(lab_apt_state "$suite" "$arch")
	apt-cache \
		-o Dir::Etc::SourceList="$d/etc/sources.list" \
		-o Dir::Etc::SourceParts="$d/etc/sources.list.d" \
		-o Dir::Etc::Preferences="$d/etc/preferences" \
		-o Dir::Etc::PreferencesParts="$d/etc/preferences.d" \
		-o Dir::Etc::Parts="$d/etc/apt.conf.d" \
		-o Dir::State="$d" -o Dir::State::Lists="$d/lists" \
		-o Dir::State::status="$d/status" \
		-o Dir::Cache="$d/cache" \
		-o APT::Architecture="$arch" -o APT::Architectures="$arch" \
		"$@"
}

# lab_apt_fresh SUITE ARCH: whether the private indexes need no refresh (updated within 12 h,
# LAB_APT_REFRESH unset).
lab_apt_fresh() {
	local stamp=$PCSLEUTH_CACHE/apt/$1-$2/updated
	[ -z "${LAB_APT_REFRESH:-}" ] && [ -e "$stamp" ] && [ -z "$(find "$stamp" -mmin +720 2>/dev/null)" ]
}

# lab_apt_update SUITE ARCH: refresh indexes at most once per 12 h (or when forced).
lab_apt_update() {
	local suite=$1 arch=$2 d stamp
	d=$(lab_apt_state "$suite" "$arch")
	stamp=$d/updated
	if ! lab_apt_fresh "$suite" "$arch"; then
		(
			exec 7>"$d/.update.lock"
			flock 7
			# another process may have refreshed it while we waited
			if ! lab_apt_fresh "$suite" "$arch"; then
				lab_log "apt update ($suite $arch)"
				lab_apt "$suite" "$arch" update -qq >/dev/null 2>"$d/update.err" ||
					{ cat "$d/update.err" >&2; lab_die "apt update failed for $suite $arch"; }
				touch "$stamp"
			fi
		) || exit 1
	fi
}

# lab_pkg_version SUITE ARCH PKG: candidate version.
lab_pkg_version() {
	lab_apt_cache "$1" "$2" policy "$3" 2>/dev/null | awk '/Candidate:/ { print $2; exit }'
}

# lab_pkg_depends SUITE ARCH PKG: direct Depends (names only, first alternative).
lab_pkg_depends() {
	lab_apt_cache "$1" "$2" show --no-all-versions "$3" 2>/dev/null |
		awk -F': ' '/^Depends:/ { print $2; exit }' | tr ',' '\n' |
		sed -e 's/|.*//' -e 's/(.*//' -e 's/:any//' -e 's/^ *//' -e 's/ *$//' | grep -v '^$'
}

# lab_deb_path SUITE ARCH PKG: download (cached) and print the .deb path.
lab_deb_path() {
	local suite=$1 arch=$2 pkg=$3 ver d dir f
	lab_apt_update "$suite" "$arch"
	d=$(lab_apt_state "$suite" "$arch")
	ver=$(lab_pkg_version "$suite" "$arch" "$pkg")
	[ -n "$ver" ] && [ "$ver" != "(none)" ] || lab_die "package $pkg not found in $suite/$arch"
	dir=$PCSLEUTH_CACHE/debs/$suite-$arch
	mkdir -p "$dir"
	local pa=${pkg%%:*}
	f=$(ls "$dir/${pa}_${ver//:/%3a}_"*.deb 2>/dev/null | head -n1 || true)
	if [ -z "$f" ]; then
		lab_log "download $pkg $ver ($suite $arch)"
		local tmp
		tmp=$(mktemp -d "$dir/.dl.XXXXXX")
		(cd "$tmp" && lab_apt "$suite" "$arch" download -qq "$pkg=$ver" >/dev/null 2>"$tmp/err") ||
			{ cat "$tmp/err" >&2; rm -rf "$tmp"; lab_die "download of $pkg failed"; }
		f=$(ls "$tmp"/*.deb | head -n1)
		mv "$f" "$dir/" && f=$dir/$(basename "$f")
		rm -rf "$tmp"
	fi
	echo "$f"
}

# Target definitions: tests/lab/targets/NAME (shell assignments).
lab_load_target() {
	local t=$1 f=$LAB_DIR/targets/$1
	[ -r "$f" ] || lab_die "unknown target '$t' (have: $(ls "$LAB_DIR/targets" | tr '\n' ' '))"
	# shellcheck disable=SC1090
	. "$f"
	TARGET=$t
	# CACHE_TARGET: share the kernel/userland cache of another target (same packages)
	TDIR=$PCSLEUTH_CACHE/targets/${CACHE_TARGET:-$t}
	mkdir -p "$TDIR"
}

lab_host_arch() { dpkg --print-architecture; }

# Whether a scenario file uses pcwatch. Only such scenarios get capture-kmod/ built into their
# guest and hashed into their cache key: a change to pcwatch re-runs them alone, not the
# scenarios whose output cannot depend on it (conservative: any mention counts).
lab_scenario_uses_pcwatch() { grep -qw pcwatch "$1"; }
