// JSON over HTTP to the Beseda API with the session cookie. Errors arrive as
// `{"error": {"code": "snake_case_code", "message": "..."}}` (ARCHITECTURE.md, Interfaces).

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

/** Builds the error of a failed response from its parsed body (null if it was not JSON). */
export function toApiError(status: number, body: unknown): ApiError {
  const e = body && typeof body === "object" ? (body as { error?: unknown }).error : undefined;
  if (e && typeof e === "object") {
    const { code, message } = e as { code?: unknown; message?: unknown };
    return new ApiError(
      status,
      typeof code === "string" && code ? code : "http_" + status,
      typeof message === "string" ? message : "",
    );
  }
  return new ApiError(status, "http_" + status, "");
}

export interface User {
  email: string;
  first_name?: string;
  last_name?: string;
}

export function displayName(u: User): string {
  return [u.first_name, u.last_name].filter((s) => s && s.trim()).join(" ").trim() || u.email;
}

export function initials(u: User): string {
  const parts = [u.first_name, u.last_name].filter((s): s is string => !!s && !!s.trim());
  const src = parts.length ? parts : [u.email];
  return src
    .slice(0, 2)
    .map((s) => s.trim()[0]!.toUpperCase())
    .join("");
}

export async function api<T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      method: init.method || "GET",
      credentials: "include",
      headers: init.body !== undefined ? { "Content-Type": "application/json", Accept: "application/json" } : { Accept: "application/json" },
      body: init.body !== undefined ? JSON.stringify(init.body) : undefined,
    });
  } catch {
    throw new ApiError(0, "network", "");
  }
  const text = await res.text();
  let body: unknown = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = null;
  }
  if (!res.ok) throw toApiError(res.status, body);
  return body as T;
}

export const login = (email: string, password: string) =>
  api<unknown>("/api/v1/auth/login", { method: "POST", body: { email, password } });
export const logout = () => api<unknown>("/api/v1/auth/logout", { method: "POST", body: {} });
export const me = () => api<{ user: User }>("/api/v1/me").then((r) => r.user);
export const requestPasswordReset = (email: string) =>
  api<unknown>("/api/v1/auth/password-reset", { method: "POST", body: { email } });
