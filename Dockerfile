# spotify-sync: one image for the worker, the API and the migrations (see docker-compose.yml).
# Built in two stages: the first compiles the TypeScript and prebuilds the workflow bundle
# (`npm run build`), the second holds only the compiled JavaScript and the production dependencies,
# and runs it with plain Node (no tsx, no webpack at start).

FROM node:20-slim AS build
ENV NPM_CONFIG_UPDATE_NOTIFIER=false NPM_CONFIG_FUND=false
WORKDIR /app
COPY package.json package-lock.json ./
# No install scripts: the Temporal dev binaries and the embedded PostgreSQL are for development.
RUN npm ci --ignore-scripts
COPY . .
RUN npm run build

FROM node:20-slim AS runtime
# Memory (BENCHMARKS.md, scenarios 8 and 11, which start their worker with this stage's ENV): a young
# generation of at most 4 MiB per semi-space and two malloc arenas keep a worker that has just synced
# 100k tracks near 300 MiB rather than 360, for a little more garbage-collection work.
# --max-old-space-size=2000 is there for V8's heap controller, not as a bound: under a limit of 2 GiB
# it lets the old generation grow to at most 2x what the last full collection kept, at 2 GiB and more
# (Node's default on a 64-bit host with 8 GB or more: a quarter of the memory) up to 4x. The worker
# keeps 35 to 70 MiB alive (40 to 50 importing a history, up to ~70 in a 100k sync: it holds a batch
# at a time per activity, 20 activities at most, whatever the accounts or the library size), so it
# peaks 40 to 50 MiB lower for the same work, with more frequent full collections of a small heap.
# 2000 MiB is ~25x what it keeps: no risk of running out for five accounts of 100k tracks.
ENV NODE_ENV=production \
    NODE_OPTIONS="--max-semi-space-size=4 --max-old-space-size=2000" \
    MALLOC_ARENA_MAX=2 \
    NPM_CONFIG_UPDATE_NOTIFIER=false \
    NPM_CONFIG_FUND=false
WORKDIR /app
# Dependencies first, so a source change does not reinstall them. Optional dependencies are left out:
# they are the embedded PostgreSQL's binaries, which only `npm run dev` uses.
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --omit=optional --ignore-scripts && npm cache clean --force
# The compiled code stays owned by root: the app can read it, not change it.
COPY --from=build /app/dist ./dist

USER node

# The API listens on 3000; the worker serves its Prometheus metrics on 9464. Migrate ignores both.
EXPOSE 3000 9464

# docker-compose.yml overrides this per service: worker | api | migrate.
ENTRYPOINT ["node", "dist/src/bin/main.js"]
CMD ["worker"]
