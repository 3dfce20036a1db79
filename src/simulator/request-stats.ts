/** Request counters (contract: GET /_sim/stats → requests). */

export interface EndpointStats {
  /** Every request. */
  total: number;
  /** 2xx answers, malformed ones included. */
  ok: number;
  /** 429 answers of either kind. */
  rateLimited: number;
  /** Every other non-2xx answer: 4xx (401, 403, 404, 400) and 5xx. */
  errors: number;
  /** The 5xx part of `errors` (injected by `errorRate`). */
  serverErrors: number;
  /** The part of `ok` sent with a schema-violating body (injected by `malformedRate`). */
  malformed: number;
}

export interface RequestStats extends EndpointStats {
  /** The part of `rateLimited` answered for the daily quota (`reason: QUOTA_EXCEEDED`). */
  quotaExceeded: number;
  /** Keyed by route template, e.g. "GET /v1/artists/{id}" or "POST /api/token". */
  byEndpoint: Record<string, EndpointStats>;
}

const emptyEndpoint = (): EndpointStats => ({ total: 0, ok: 0, rateLimited: 0, errors: 0, serverErrors: 0, malformed: 0 });

export interface RecordedRequest {
  endpoint: string;
  status: number;
  malformed?: boolean;
  quotaExceeded?: boolean;
  /** Web API calls count in the totals; Accounts service calls only per endpoint. */
  webApi: boolean;
}

export class RequestCounter {
  private stats: RequestStats = { ...emptyEndpoint(), quotaExceeded: 0, byEndpoint: {} };

  record(request: RecordedRequest): void {
    const endpoint = (this.stats.byEndpoint[request.endpoint] ??= emptyEndpoint());
    add(endpoint, request);
    if (request.webApi) {
      add(this.stats, request);
      if (request.quotaExceeded) this.stats.quotaExceeded++;
    }
  }

  snapshot(): RequestStats {
    return structuredClone(this.stats);
  }

  reset(): void {
    this.stats = { ...emptyEndpoint(), quotaExceeded: 0, byEndpoint: {} };
  }
}

function add(stats: EndpointStats, request: RecordedRequest): void {
  stats.total++;
  if (request.status >= 200 && request.status < 300) {
    stats.ok++;
    if (request.malformed) stats.malformed++;
  } else if (request.status === 429) {
    stats.rateLimited++;
  } else {
    stats.errors++;
    if (request.status >= 500) stats.serverErrors++;
  }
}
