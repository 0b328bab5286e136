// The public widget API (`/widget/v1/projects/{project}/…` on the loader's origin): a bearer
// token per visitor kept in localStorage under `beseda:<project>`, created on first need.

export class ApiError extends Error {
  constructor(
    public status: number,
    public code: string,
    message: string,
    public field?: string,
  ) {
    super(message);
  }
}

export interface Api {
  token(): string | null;
  /** Creates the visitor when there is no token yet. */
  ensureToken(): Promise<string>;
  call<T = any>(method: string, path: string, body?: unknown): Promise<T>;
  /** ws(s)://host/ws?visitor=…&project=… or null without a token. */
  wsUrl(): string | null;
  /** The project's public config again (operators' presence and hours change). */
  config(): Promise<unknown>;
  /** The URL of an operator's photo. */
  avatar(userId: string): string;
}

export function createApi(origin: string, project: string, networkMessage: string): Api {
  const key = "beseda:" + project;
  const base = origin + "/widget/v1/projects/" + encodeURIComponent(project);
  let memo: string | null = null;
  let creating: Promise<string> | null = null;

  const read = (): string | null => {
    try {
      return localStorage.getItem(key) || memo;
    } catch {
      return memo; // storage blocked: a token for this page view only
    }
  };
  const write = (t: string | null) => {
    memo = t;
    try {
      t ? localStorage.setItem(key, t) : localStorage.removeItem(key);
    } catch {
      /* ignore */
    }
  };

  async function raw(method: string, path: string, body: unknown, token: string | null): Promise<any> {
    const headers: Record<string, string> = { Accept: "application/json" };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    if (token) headers.Authorization = "Bearer " + token;
    let r: Response;
    try {
      r = await fetch(base + path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        mode: "cors",
        credentials: "omit",
      });
    } catch {
      throw new ApiError(0, "network", networkMessage);
    }
    if (r.status === 204) return null;
    let data: any = null;
    try {
      data = await r.json();
    } catch {
      /* empty or not JSON */
    }
    if (!r.ok) {
      const e = (data && data.error) || {};
      throw new ApiError(r.status, e.code || "http_" + r.status, e.message || networkMessage, e.field);
    }
    return data;
  }

  async function ensureToken(): Promise<string> {
    const t = read();
    if (t) return t;
    if (!creating)
      creating = raw("POST", "/visitors", {}, null)
        .then((d) => {
          if (!d || typeof d.token !== "string") throw new ApiError(0, "network", networkMessage);
          write(d.token);
          return d.token as string;
        })
        .finally(() => (creating = null));
    return creating;
  }

  return {
    token: read,
    ensureToken,
    async call(method, path, body) {
      const t = await ensureToken();
      try {
        return await raw(method, path, body, t);
      } catch (e) {
        // The server forgot the visitor (token revoked or data reset): start over once.
        if (e instanceof ApiError && e.status === 401) {
          if (read() === t) write(null);
          return raw(method, path, body, await ensureToken());
        }
        throw e;
      }
    },
    config: () => raw("GET", "/config", undefined, null),
    avatar: (id) => base + "/operators/" + encodeURIComponent(id) + "/avatar",
    wsUrl() {
      const t = read();
      return t ? origin.replace(/^http/, "ws") + "/ws?visitor=" + encodeURIComponent(t) + "&project=" + encodeURIComponent(project) : null;
    },
  };
}
