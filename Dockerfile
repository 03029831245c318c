# syntax=docker/dockerfile:1
# The quote extraction service with its bundled stanza models, CPU only.
FROM python:3.11-slim AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
RUN python -m venv /opt/venv
# torch first, from PyTorch's CPU index: PyPI's default Linux wheel is the multi-GB CUDA build
RUN /opt/venv/bin/pip install --index-url https://download.pytorch.org/whl/cpu torch==2.13.0
COPY pyproject.toml README.md ./
COPY proto ./proto
COPY clients ./clients
COPY service ./service
# the SDK and generated code (quotes-client) first: the service depends on it
RUN /opt/venv/bin/pip install ./clients/python ".[batch]"
# unpack the bundled models once, into the image
ENV QUOTES_CACHE_DIR=/opt/models
RUN mkdir -p /opt/models && /opt/venv/bin/quotes models --json > /opt/models/selection.json

FROM python:3.11-slim
RUN useradd --system --uid 10001 --home-dir /nonexistent quotes
COPY --from=build /opt/venv /opt/venv
COPY --from=build --chown=quotes /opt/models /opt/models
ENV PATH=/opt/venv/bin:$PATH \
    QUOTES_CACHE_DIR=/opt/models \
    QUOTES_HOST=[::] \
    QUOTES_PORT=50051 \
    QUOTES_LOG_FORMAT=json \
    PYTHONUNBUFFERED=1
USER quotes
EXPOSE 50051
HEALTHCHECK --interval=15s --timeout=5s --start-period=90s --retries=3 CMD ["quotes", "health"]
STOPSIGNAL SIGTERM
ENTRYPOINT ["quotes"]
CMD ["serve"]
