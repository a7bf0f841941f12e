# SPOC as a container image: `npm ci` from the npm registry (the only network the build uses),
# then `npm start`. See docs/deploy.md.
#
#   docker build -t spoc .
#   docker run --init -p 3000:3000 -v spoc-data:/app/data --env-file spoc.env spoc
#
# With DATABASE_URL set SPOC uses that Postgres and the volume holds nothing; without it, the
# embedded database lives in /app/data (keep it on a volume, and run one container on it).
FROM node:20-slim

ENV NODE_ENV=production \
    NPM_CONFIG_UPDATE_NOTIFIER=false \
    NPM_CONFIG_FUND=false \
    NPM_CONFIG_AUDIT=false

WORKDIR /app

# Dependencies first, so a change to the code reuses this layer. tsx runs the TypeScript at start
# (it is a runtime dependency); the test and build tools are left out.
COPY package.json package-lock.json ./
RUN npm ci --omit=dev && npm cache clean --force

# What `npm start` reads: the code, the migrations it applies at every start, its TypeScript settings.
COPY tsconfig.json ./
COPY src ./src
COPY drizzle ./drizzle

# The embedded database's directory (used only when DATABASE_URL is unset), owned by the
# unprivileged user SPOC runs as.
RUN mkdir -p /app/data && chown node:node /app/data
VOLUME ["/app/data"]
USER node

ENV HOST=0.0.0.0 \
    PORT=3000 \
    SPOC_DATA_DIR=/app/data
EXPOSE 3000

# /healthz: the process is alive. (A load balancer should route by /readyz instead, which is 503
# while the database is unreachable; see docs/deploy.md.)
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]

# npm execs node (the start script is `exec node --import tsx src/main.ts`) and passes SIGTERM on:
# SPOC drains and exits within 10 s, inside Docker's and Kubernetes' default grace periods.
STOPSIGNAL SIGTERM
CMD ["npm", "start"]
