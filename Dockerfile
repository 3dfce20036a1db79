# spotify-sync: one image for the worker, the API and the migrations (see docker-compose.yml).
# TypeScript runs through tsx, as in development; there is no separate build step.
FROM node:20-slim

ENV NODE_ENV=production \
    NPM_CONFIG_UPDATE_NOTIFIER=false \
    NPM_CONFIG_FUND=false

WORKDIR /app

# Dependencies first, so a source change does not reinstall them. tsx is a runtime dependency.
COPY package.json package-lock.json ./
RUN npm ci --omit=dev && npm cache clean --force

# The source stays owned by root: the app can read it, not change it.
COPY . .

USER node

# The API listens here; the worker and migrate ignore it.
EXPOSE 3000

# docker-compose.yml overrides this per service: npm run worker | npm run api | npm run migrate.
CMD ["npm", "run", "worker"]
