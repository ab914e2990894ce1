#!/usr/bin/env bash
# shellcheck disable=SC2016 # mmdebstrap hooks are single-quoted on purpose: mmdebstrap runs them with the rootfs as $1
# Build the local stand-ins for the base images that cannot be pulled here, from Debian's packages
# (mmdebstrap, then `docker import`), and print their tags as KEY=VALUE lines on stdout:
#
#   POSTGRES_IMAGE  stand-in for postgres:16-alpine: Debian's postgresql, an entrypoint that honours
#                   POSTGRES_USER/POSTGRES_PASSWORD/POSTGRES_DB like the official one, pg_isready on PATH
#   RUNTIME_IMAGE   stand-in for gcr.io/distroless/cc-debian12:nonroot: libc6 + libgcc-s1, no shell,
#                   user nonroot (65532), no package manager
#
# Images are cached: a tag carries a hash of this script and the entrypoint, and an image whose tag exists is
# not built again (FORCE_REBUILD=1 rebuilds). Needs root, Docker and mmdebstrap (installed with apt-get when
# missing). Settings: DEBIAN_SUITE (bookworm), DEBIAN_MIRROR, DEBIAN_SECURITY_MIRROR, PG_MAJOR (15 on bookworm).
set -Eeuo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
suite="${DEBIAN_SUITE:-bookworm}"
mirror="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
security="${DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}"
pg_major="${PG_MAJOR:-15}"
entrypoint="$here/base/postgres-entrypoint.sh"

say() { printf '[base-images] %s\n' "$*" >&2; }

key="$(cat "${BASH_SOURCE[0]}" "$entrypoint" | sha256sum | cut -c1-12)"
postgres_tag="sqlite2pg-local/postgres:${pg_major}-${suite}-${key}"
runtime_tag="sqlite2pg-local/runtime:${suite}-${key}"

have_image() { [ "${FORCE_REBUILD:-0}" != 1 ] && docker image inspect "$1" >/dev/null 2>&1; }

need_mmdebstrap() {
	command -v mmdebstrap >/dev/null 2>&1 && return 0
	if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
		say 'installing mmdebstrap with apt-get'
		DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq mmdebstrap >&2
	else
		say 'error: mmdebstrap is missing (apt-get install mmdebstrap)'
		exit 1
	fi
}

# mmdebstrap reads sources from stdin when it is not a terminal: always give it /dev/null and explicit mirrors
debstrap() {
	mmdebstrap --quiet --aptopt='APT::Install-Recommends "false"' --dpkgopt='path-exclude=/usr/share/man/*' \
		--dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-include=/usr/share/doc/*/copyright' \
		"$@" "$suite" - "deb $mirror $suite main" "deb $mirror $suite-updates main" \
		"deb $security $suite-security main" </dev/null
}

build_runtime() {
	say "building $runtime_tag"
	# extract: unpack libc6, libgcc-s1 (and what they depend on) without installing dpkg, apt or a shell
	debstrap --variant=extract --include=libc6,libgcc-s1,netbase,tzdata \
		--customize-hook='rm -rf "$1"/etc/apt "$1"/var/lib/apt "$1"/var/cache/apt "$1"/var/log/* "$1"/var/lib/dpkg' \
		--customize-hook='printf "root:x:0:0:root:/root:/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n" > "$1/etc/passwd"' \
		--customize-hook='printf "root:x:0:\nnobody:x:65534:\nnonroot:x:65532:\n" > "$1/etc/group"' \
		--customize-hook='mkdir -p "$1/home/nonroot" "$1/tmp" "$1/root" && chown 65532:65532 "$1/home/nonroot" && chmod 1777 "$1/tmp" && chmod 700 "$1/root"' \
		--customize-hook='if [ -e "$1/bin/sh" ] || [ -e "$1/usr/bin/sh" ]; then echo "runtime image has a shell" >&2; exit 1; fi' |
		docker import \
			--change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
			--change 'ENV SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt' \
			--change 'USER 65532:65532' \
			--change 'WORKDIR /home/nonroot' \
			--message "distroless cc stand-in from Debian $suite" \
			- "$runtime_tag" >/dev/null
}

build_postgres() {
	say "building $postgres_tag (Debian $suite postgresql-$pg_major)"
	debstrap --variant=minbase --include="postgresql-$pg_major,util-linux" \
		--essential-hook='mkdir -p "$1/etc/postgresql-common/createcluster.d" && echo "create_main_cluster = false" > "$1/etc/postgresql-common/createcluster.d/no-main-cluster.conf"' \
		--customize-hook="copy-in $entrypoint /usr/local/bin" \
		--customize-hook='mv "$1/usr/local/bin/postgres-entrypoint.sh" "$1/usr/local/bin/docker-entrypoint.sh" && chmod 755 "$1/usr/local/bin/docker-entrypoint.sh"' \
		--customize-hook="sed -ri \"s!^#?(listen_addresses)\\s*=\\s*\\S+.*!\\1 = '*'!\" \"\$1/usr/share/postgresql/$pg_major/postgresql.conf.sample\"" \
		--customize-hook="grep -F \"listen_addresses = '*'\" \"\$1/usr/share/postgresql/$pg_major/postgresql.conf.sample\" >/dev/null" \
		--customize-hook="rm -rf \"\$1/etc/postgresql/$pg_major\" \"\$1/var/lib/postgresql/$pg_major\"" \
		--customize-hook='mkdir -p "$1/docker-entrypoint-initdb.d" "$1/var/lib/postgresql/data" "$1/var/run/postgresql"' \
		--customize-hook='chroot "$1" chown -R postgres:postgres /var/lib/postgresql /var/run/postgresql' \
		--customize-hook='chmod 700 "$1/var/lib/postgresql/data" && chmod 3777 "$1/var/run/postgresql"' \
		--customize-hook='rm -rf "$1"/var/lib/apt/lists/* "$1"/var/cache/apt/* "$1"/var/log/*.log' |
		docker import \
			--change "ENV PATH=/usr/lib/postgresql/$pg_major/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
			--change 'ENV PGDATA=/var/lib/postgresql/data' \
			--change 'ENV LANG=C.UTF-8' \
			--change 'VOLUME /var/lib/postgresql/data' \
			--change 'EXPOSE 5432' \
			--change 'ENTRYPOINT ["docker-entrypoint.sh"]' \
			--change 'CMD ["postgres"]' \
			--message "postgres stand-in from Debian $suite postgresql-$pg_major" \
			- "$postgres_tag" >/dev/null
}

# drop_stale REPO KEEP: remove this script's older builds (other tags of the same repository)
drop_stale() {
	docker image ls --format '{{.Repository}}:{{.Tag}}' "$1" | { grep -vxF "$2" || true; } | while read -r old; do
		say "removing stale $old"
		docker image rm "$old" >/dev/null 2>&1 || true
	done
}

if have_image "$runtime_tag"; then say "cached: $runtime_tag"; else need_mmdebstrap; build_runtime; fi
if have_image "$postgres_tag"; then say "cached: $postgres_tag"; else need_mmdebstrap; build_postgres; fi
drop_stale sqlite2pg-local/runtime "$runtime_tag"
drop_stale sqlite2pg-local/postgres "$postgres_tag"

echo "POSTGRES_IMAGE=$postgres_tag"
echo "RUNTIME_IMAGE=$runtime_tag"
