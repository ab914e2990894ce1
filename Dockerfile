# sqlite2pg container image: a multi-stage build whose final stage holds one binary and no shell.
#
#   docker build -t sqlite2pg .                          # build from source with the official Rust image
#   docker build --target prebuilt -t sqlite2pg .        # wrap a binary built outside Docker (see below)
#
# Base images are build arguments, so the same file builds from mirrored or locally made images:
#   --build-arg RUST_IMAGE=...      builder: any image with cargo (Debian bookworm based, to match glibc)
#   --build-arg RUNTIME_IMAGE=...   runtime: glibc + libgcc_s, e.g. distroless cc or debian:bookworm-slim
# The binary needs only libc and libgcc_s. Build it on the same Debian release as the runtime image
# (bookworm/glibc 2.36 for distroless cc-debian12): a binary linked against a newer glibc will not start.
#
# Stage order matters for the classic (non-BuildKit) builder, which builds every stage up to the target:
# `--target prebuilt` never touches the Rust image, so it works without a registry.

ARG RUST_IMAGE=docker.io/library/rust:1.95-slim-bookworm
ARG RUNTIME_IMAGE=gcr.io/distroless/cc-debian12:nonroot

# ---- runtime-base: what every final image shares ----------------------------------------------------------
FROM ${RUNTIME_IMAGE} AS runtime-base
LABEL org.opencontainers.image.title="sqlite2pg" \
      org.opencontainers.image.description="Init-container job that migrates a SQLite database into PostgreSQL, exactly and atomically" \
      org.opencontainers.image.licenses="MIT OR Apache-2.0"
ENV PATH=/usr/local/bin:/usr/local/sbin:/usr/sbin:/usr/bin:/sbin:/bin \
    RUST_LOG=info
# distroless' nonroot user; numeric so Kubernetes' runAsNonRoot can verify it
USER 65532:65532
WORKDIR /home/nonroot
# exec form: no shell needed, signals (SIGTERM from `docker stop` / Kubernetes) reach sqlite2pg directly
ENTRYPOINT ["sqlite2pg"]

# ---- prebuilt: the runtime around a binary built outside Docker ------------------------------------------
# Put the binary at docker/prebuilt/sqlite2pg (e.g. `cargo build --release --locked` on Debian bookworm, then
# `install -m 0755 target/release/sqlite2pg docker/prebuilt/`). Used by docker/e2e.sh, where no registry is
# reachable and so the Rust image cannot be pulled.
FROM runtime-base AS prebuilt
COPY docker/prebuilt/ /usr/local/bin/

# ---- build: compile with the official Rust image ---------------------------------------------------------
FROM ${RUST_IMAGE} AS build
WORKDIR /src
# symbols are not needed at run time; this keeps the binary (and the image) small
ENV CARGO_PROFILE_RELEASE_STRIP=symbols \
    CARGO_TERM_COLOR=never
COPY Cargo.toml Cargo.lock ./
# the bundled SQLite's compile options (snapshots for consistent reads of a live file)
COPY .cargo ./.cargo
COPY src ./src
RUN cargo build --release --locked \
 && install -D -m 0755 target/release/sqlite2pg /out/sqlite2pg

# ---- runtime (default target): the image to ship ---------------------------------------------------------
FROM runtime-base AS runtime
COPY --from=build /out/sqlite2pg /usr/local/bin/sqlite2pg
