# syntax=docker/dockerfile:1
#
# The reference service in both configurations, from one Dockerfile with two final targets:
#
#   docker build -f deploy/docker/service.Dockerfile --target baseline -t hotswap-service:baseline .
#   docker build -f deploy/docker/service.Dockerfile --target rust     -t hotswap-service:rust .
#
# Stages: the Rust crate (staticlib) → the Go builds (baseline with CGO_ENABLED=0; rust with cgo and the
# `rusthotspot` tag, linking the crate) → minimal, non-root runtime images. The baseline is a static
# binary on distroless/static; the rust build links glibc and libgcc_s (Rust's native static libs), so it
# runs on distroless/cc. Both images carry the same static health probe (deploy/docker/healthcheck), since
# distroless has no shell or curl. The build context is the repository root (see docker-compose.yml).

ARG GO_VERSION=1.26
ARG RUST_VERSION=1.95

# ---- 1. the Rust hotspot crate ------------------------------------------------------------------------
FROM rust:${RUST_VERSION}-bookworm AS hotspot
WORKDIR /src/service/hotspot
COPY service/hotspot/ ./
# The crate compiles the service's rule table in (include_str! of ../../internal/kernel/rules.tsv).
COPY service/internal/kernel/rules.tsv /src/service/internal/kernel/rules.tsv
# One cargo invocation builds the staticlib and prints the system libraries cgo must link (as
# service/build.sh does); Cargo.lock is committed, so --locked keeps the image on the same crates.
RUN cargo rustc --release --lib --locked -- --print native-static-libs 2> /tmp/cargo.log \
 || { cat /tmp/cargo.log; exit 1; }
RUN sed -n 's/^note: native-static-libs: //p' /tmp/cargo.log > target/release/native-static-libs.txt \
 && test -s target/release/native-static-libs.txt && cat target/release/native-static-libs.txt

# ---- 2. Go: modules once, then one build per configuration --------------------------------------------
FROM golang:${GO_VERSION}-bookworm AS go-src
WORKDIR /src/service
COPY service/go.* ./
RUN go mod download
COPY service/ ./

FROM go-src AS build-baseline
RUN CGO_ENABLED=0 go build -trimpath -ldflags='-s -w' -o /out/hotswap-service ./cmd/hotswap-service

FROM go-src AS build-rust
COPY --from=hotspot /src/service/hotspot/target/release/ /src/service/hotspot/target/release/
RUN CGO_ENABLED=1 \
    CGO_LDFLAGS="/src/service/hotspot/target/release/libhotspot.a $(cat /src/service/hotspot/target/release/native-static-libs.txt)" \
    go build -trimpath -tags rusthotspot -ldflags='-s -w' -o /out/hotswap-service ./cmd/hotswap-service

FROM golang:${GO_VERSION}-bookworm AS healthcheck
WORKDIR /src
COPY deploy/docker/healthcheck/ ./
RUN CGO_ENABLED=0 go build -trimpath -ldflags='-s -w' -o /out/healthcheck .

# ---- 3. runtime images: minimal, non-root (uid 65532), listening on all interfaces inside the container --
FROM gcr.io/distroless/static-debian12:nonroot AS baseline
COPY --from=build-baseline /out/hotswap-service /usr/local/bin/hotswap-service
COPY --from=healthcheck /out/healthcheck /usr/local/bin/healthcheck
USER 65532:65532
ENV HOTSWAP_ADDR=0.0.0.0:8080 GOMAXPROCS=1
EXPOSE 8080
HEALTHCHECK --interval=5s --timeout=3s --start-period=5s --retries=5 CMD ["/usr/local/bin/healthcheck", "http://127.0.0.1:8080/healthz"]
ENTRYPOINT ["/usr/local/bin/hotswap-service"]

FROM gcr.io/distroless/cc-debian12:nonroot AS rust
COPY --from=build-rust /out/hotswap-service /usr/local/bin/hotswap-service
COPY --from=healthcheck /out/healthcheck /usr/local/bin/healthcheck
USER 65532:65532
ENV HOTSWAP_ADDR=0.0.0.0:8080 GOMAXPROCS=1
EXPOSE 8080
HEALTHCHECK --interval=5s --timeout=3s --start-period=5s --retries=5 CMD ["/usr/local/bin/healthcheck", "http://127.0.0.1:8080/healthz"]
ENTRYPOINT ["/usr/local/bin/hotswap-service"]
