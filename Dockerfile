# One image for the three services; the command selects one:
#   docker run IMAGE collector | classifier | alerter | check FILE...
# Build from the repository root: docker build -t fieldwatch:0.1.0 .
#
# The services run from the source tree (schemas/ and examples/ sit next to services/, where
# services/runtime/config.py looks for them), so the tree is copied to /app and put on
# PYTHONPATH; only the pinned third-party dependencies are installed, in a virtualenv built in
# the first stage, which also compiles the classifier's C extension (services/classifier/
# _native.c) for the image's Python. The final stage has no compiler, no pip cache and runs as
# a non-root user.

FROM python:3.11.13-slim-bookworm AS build
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONDONTWRITEBYTECODE=1
WORKDIR /build
COPY pyproject.toml constraints.txt ./
COPY services/classifier/_native.c ./
RUN apt-get update \
 && apt-get install --yes --no-install-recommends gcc libc6-dev \
 && rm -rf /var/lib/apt/lists/* \
 && gcc -O2 -shared -fPIC \
      -I "$(python -c 'import sysconfig; print(sysconfig.get_paths()["include"])')" \
      -o "_native$(python -c 'import sysconfig; print(sysconfig.get_config_var("EXT_SUFFIX"))')" \
      _native.c
# The runtime dependencies are the ones pyproject.toml declares, at the versions
# constraints.txt pins (the same pins the tests run against).
RUN python -m venv /opt/venv \
 && python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" > requirements.txt \
 && /opt/venv/bin/pip install -c constraints.txt -r requirements.txt \
 && printf '#!/opt/venv/bin/python\nimport sys\nfrom services.cli import main\nsys.exit(main())\n' > /opt/venv/bin/fieldwatch \
 && chmod 0755 /opt/venv/bin/fieldwatch

# The same pinned base as the build stage, so the virtualenv's interpreter path matches.
FROM python:3.11.13-slim-bookworm AS runtime
LABEL org.opencontainers.image.title="fieldwatch" \
      org.opencontainers.image.description="Fieldwatch collector, classifier and alerter" \
      org.opencontainers.image.licenses="Apache-2.0"
ENV PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONPATH=/app \
    PATH=/opt/venv/bin:$PATH \
    FIELDWATCH_LOG_FORMAT=json
RUN groupadd --system --gid 10001 fieldwatch \
 && useradd --system --uid 10001 --gid 10001 --home-dir /app --shell /usr/sbin/nologin fieldwatch
COPY --from=build /opt/venv /opt/venv
WORKDIR /app
COPY --chown=root:root pyproject.toml README.md ./
COPY --chown=root:root schemas/ schemas/
COPY --chown=root:root examples/ examples/
COPY --chown=root:root services/ services/
COPY --from=build --chown=root:root /build/_native.*.so services/classifier/
# Bytecode compiled now: the root filesystem is read-only at run time.
RUN python -m compileall -q /app/services
USER 10001:10001
EXPOSE 9101 9102 9103
# Exec form: the service is PID 1 and receives SIGTERM itself, drains within
# FIELDWATCH_DRAIN_TIMEOUT and exits 0. Kubernetes probes /healthz and /readyz over HTTP.
ENTRYPOINT ["fieldwatch"]
CMD ["--help"]
