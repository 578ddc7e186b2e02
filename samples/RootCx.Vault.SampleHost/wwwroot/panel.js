// The Secret Vault panel. Values are write-only: the value field is cleared after saving and no value is ever kept
// in a variable, storage or the page. The API key lives in this closure only, for this tab's lifetime.
// Every save, delete and restore is conditional on the version this tab last listed, so that two tabs (or two people)
// editing one secret cannot overwrite each other silently: the second is refused with 412 and told to look again.
(() => {
  "use strict";
  const $ = (id) => document.getElementById(id);
  let apiKey = null;
  let scope = { kind: "app", appId: null };
  let listedVersions = new Map(); // upper-cased key -> version, as last listed
  let shownHistory = { key: null, current: null }; // the secret whose history is shown, and its current version as listed

  class Conflict extends Error {}

  const scopePath = () => scope.kind === "shared" ? "/api/v1/platform" : `/api/v1/apps/${encodeURIComponent(scope.appId)}`;
  const basePath = () => `${scopePath()}/secrets`;
  const secretPath = (key) => `${basePath()}/${encodeURIComponent(key)}`;
  const deletedPath = (key) => `${scopePath()}/deleted-secrets/${encodeURIComponent(key)}`;

  function say(message, isError = false) {
    $("status").textContent = message;
    $("status").className = isError ? "error" : "";
  }

  // Names match ignoring case, as in the vault.
  const preconditionFor = (key) => listedVersions.has(key.toUpperCase())
    ? { "If-Match": `"${listedVersions.get(key.toUpperCase())}"` }
    : { "If-None-Match": "*" };

  async function call(method, path, body, headers = {}) {
    const response = await fetch(path, {
      method,
      headers: { "Authorization": `Bearer ${apiKey}`, ...(body ? { "Content-Type": "application/json" } : {}), ...headers },
      body: body ? JSON.stringify(body) : undefined,
      cache: "no-store",
    });
    if (!response.ok) {
      const problem = await response.json().catch(() => ({}));
      const message = problem.detail || problem.title || `HTTP ${response.status}`;
      throw response.status === 412 ? new Conflict(message) : new Error(message);
    }
    return response.status === 204 ? null : response.json();
  }

  // A table row of text cells (textContent only), with the action buttons in a last cell.
  function tableRow(texts, buttons = []) {
    const row = document.createElement("tr");
    for (const text of texts) {
      const cell = document.createElement("td");
      cell.textContent = text;
      row.append(cell);
    }
    const actions = document.createElement("td");
    actions.className = "actions";
    actions.append(...buttons);
    row.append(actions);
    return row;
  }

  function button(label, className, onClick) {
    const element = document.createElement("button");
    element.type = "button";
    element.textContent = label;
    element.className = className;
    element.addEventListener("click", onClick);
    return element;
  }

  const when = (time) => new Date(time).toLocaleString();

  async function refresh() {
    const secrets = await call("GET", basePath());
    listedVersions = new Map(secrets.map((secret) => [secret.key.toUpperCase(), secret.version]));
    const rows = secrets.map((secret) => {
      const row = tableRow([secret.key, when(secret.updatedAt), String(secret.version)], [
        button("History", "history", () => openHistory(secret.key)),
        button("Delete", "delete", () => removeSecret(secret.key)),
      ]);
      row.dataset.key = secret.key;
      return row;
    });
    $("secrets").replaceChildren(...rows);
    $("empty").hidden = rows.length > 0;
  }

  async function removeSecret(key) {
    if (!window.confirm(`Delete ${key}? Anything that uses it will stop working at its next start. It stays under Deleted, recoverable, until it is purged.`)) {
      return;
    }
    try {
      await call("DELETE", secretPath(key), undefined, preconditionFor(key));
      say(`Deleted ${key}.`);
      await refresh();
    } catch (error) {
      await report(error, "It was not deleted");
    }
  }

  // A conflict means someone changed the secret since this tab listed it: show the latest, and let the user decide.
  async function report(error, outcome, reload = refresh) {
    if (error instanceof Conflict) {
      await reload().catch(() => {});
      say(`${error.message} ${outcome}: the list now shows the latest version; do it again to go ahead.`, true);
    } else {
      say(error.message, true);
    }
  }

  // One of the scope's three views: its live secrets, one secret's history, its deleted secrets.
  function showView(view) {
    $("live").hidden = view !== "live";
    $("history").hidden = view !== "history";
    $("deleted").hidden = view !== "deleted";
    $("view-live").setAttribute("aria-selected", String(view !== "deleted"));
    $("view-deleted").setAttribute("aria-selected", String(view === "deleted"));
  }

  // History: the versions newest first, a Restore button on each older one. The restore is conditional on the
  // current version this view listed, so a change made meanwhile is not silently replaced.
  async function refreshHistory() {
    const versions = await call("GET", `${secretPath(shownHistory.key)}/versions`);
    shownHistory.current = versions.find((version) => version.current)?.version ?? null;
    $("history-title").textContent = `History of ${shownHistory.key}`;
    const rows = versions.map((version) => {
      const mark = document.createElement("span");
      mark.className = "current-mark";
      mark.textContent = "Current";
      const row = tableRow(
        [String(version.version), when(version.writtenAt), version.actor ?? "unknown", version.keyId],
        [version.current ? mark : button("Restore", "restore", () => restoreVersion(version.version))]);
      row.dataset.version = String(version.version);
      row.classList.toggle("current", version.current);
      return row;
    });
    $("versions").replaceChildren(...rows);
  }

  async function openHistory(key) {
    shownHistory = { key, current: null };
    try {
      await refreshHistory();
      showView("history");
      say("");
    } catch (error) {
      say(error.message, true);
    }
  }

  async function restoreVersion(version) {
    const key = shownHistory.key;
    try {
      const restored = await call("POST", `${secretPath(key)}/versions/${version}/restore`, undefined, { "If-Match": `"${shownHistory.current}"` });
      say(`Restored ${restored.key} version ${version} as version ${restored.version}.`);
      await refreshHistory();
      await refresh();
    } catch (error) {
      await report(error, "Nothing was restored", async () => {
        await refreshHistory();
        await refresh();
      });
    }
  }

  // Deleted: when each was deleted and will be purged, with Recover and Purge (which asks first: it cannot be undone).
  async function refreshDeleted() {
    const deleted = await call("GET", `${scopePath()}/deleted-secrets`);
    const rows = deleted.map((secret) => {
      const row = tableRow([secret.key, String(secret.version), when(secret.deletedAt), when(secret.purgeAfter)], [
        button("Recover", "recover", () => recoverSecret(secret.key)),
        button("Purge", "purge", () => purgeSecret(secret.key)),
      ]);
      row.dataset.key = secret.key;
      return row;
    });
    $("deleted-secrets").replaceChildren(...rows);
    $("deleted-empty").hidden = rows.length > 0;
  }

  async function openDeleted() {
    try {
      await refreshDeleted();
      showView("deleted");
      say("");
    } catch (error) {
      say(error.message, true);
    }
  }

  async function recoverSecret(key) {
    try {
      const recovered = await call("POST", `${deletedPath(key)}/recover`);
      say(`Recovered ${recovered.key} (version ${recovered.version}).`);
      await refresh();
    } catch (error) {
      say(error.message, true);
    }
    await refreshDeleted().catch(() => {});
  }

  async function purgeSecret(key) {
    if (!window.confirm(`Purge ${key}? Its value and every older version are destroyed for good: this cannot be undone.`)) {
      return;
    }
    try {
      await call("DELETE", deletedPath(key));
      say(`Purged ${key}.`);
    } catch (error) {
      say(error.message, true);
    }
    await refreshDeleted().catch(() => {});
  }

  // The audit view: events oldest first, a page at a time (the API's next is the following page's after).
  let auditNext = null;

  function auditQuery(after) {
    const query = new URLSearchParams({ limit: "50" });
    const auditScope = $("audit-scope").value.trim();
    const auditName = $("audit-name").value.trim();
    if (auditScope) query.set("scope", auditScope);
    if (auditName) query.set("name", auditName);
    if (after) query.set("after", String(after));
    return `/api/v1/audit?${query}`;
  }

  async function loadAudit(append) {
    const page = await call("GET", auditQuery(append ? auditNext : null));
    const rows = page.events.map((event) => {
      const row = document.createElement("tr");
      row.dataset.seq = String(event.seq);
      const cells = [String(event.seq), new Date(event.time).toLocaleString(), event.actor, event.action, event.scope,
        event.name ?? "(all)", event.version === null ? "" : String(event.version), event.outcome];
      for (const text of cells) {
        const cell = document.createElement("td");
        cell.textContent = text;
        row.append(cell);
      }
      return row;
    });
    if (append) {
      $("audit-events").append(...rows);
    } else {
      $("audit-events").replaceChildren(...rows);
    }
    auditNext = page.next;
    $("audit-more").hidden = auditNext === null;
  }

  async function verifyAudit() {
    try {
      const result = await call("GET", "/api/v1/audit/verify");
      $("audit-verdict").textContent = result.intact
        ? `Chain intact: ${result.count} event(s), head #${result.headSequence} ${result.headHash}. Record the head elsewhere to detect a cut-off tail.`
        : `Chain broken at event #${result.firstBrokenSequence}: it was edited or removed.`;
      $("audit-verdict").className = result.intact ? "" : "error";
    } catch (error) {
      say(error.message, true);
    }
  }

  async function show(next) {
    scope = next;
    $("tab-app").setAttribute("aria-selected", String(next.kind === "app"));
    $("tab-shared").setAttribute("aria-selected", String(next.kind === "shared"));
    $("tab-audit").setAttribute("aria-selected", String(next.kind === "audit"));
    $("choose-app").hidden = next.kind !== "app";
    $("audit").hidden = next.kind !== "audit";
    if (next.kind === "audit") {
      $("scope").hidden = true;
      $("audit-verdict").textContent = "";
      try {
        await loadAudit(false);
        say("");
      } catch (error) {
        say(error.message, true);
      }
      return;
    }
    $("scope").hidden = next.kind === "app" && !next.appId;
    $("scope-title").textContent = next.kind === "shared" ? "Shared (platform secrets)" : `Application ${next.appId ?? ""}`;
    showView("live");
    if (!$("scope").hidden) {
      try {
        await refresh();
        say("");
      } catch (error) {
        $("scope").hidden = true;
        say(error.message, true);
      }
    }
  }

  $("connect").addEventListener("submit", async (event) => {
    event.preventDefault();
    apiKey = $("api-key").value;
    $("api-key").value = "";
    try {
      await call("GET", "/api/v1/platform/secrets");
      $("vault").hidden = false;
      $("connect").hidden = true;
      await show({ kind: "app", appId: null });
    } catch (error) {
      apiKey = null;
      say(error.message, true);
    }
  });

  $("tab-app").addEventListener("click", () => show({ kind: "app", appId: null }));
  $("tab-shared").addEventListener("click", () => show({ kind: "shared" }));
  $("tab-audit").addEventListener("click", () => show({ kind: "audit" }));
  $("audit-filter").addEventListener("submit", (event) => {
    event.preventDefault();
    loadAudit(false).catch((error) => say(error.message, true));
  });
  $("audit-more").addEventListener("click", () => loadAudit(true).catch((error) => say(error.message, true)));
  $("audit-verify").addEventListener("click", verifyAudit);
  const openLive = () => {
    showView("live");
    refresh().catch((error) => say(error.message, true));
  };
  $("view-live").addEventListener("click", openLive);
  $("view-deleted").addEventListener("click", openDeleted);
  $("history-back").addEventListener("click", openLive);
  $("choose-app").addEventListener("submit", (event) => {
    event.preventDefault();
    show({ kind: "app", appId: $("app-id").value.trim() });
  });

  $("add-secret").addEventListener("submit", async (event) => {
    event.preventDefault();
    const key = $("secret-key").value.trim();
    const valueField = $("secret-value");
    try {
      const saved = await call("POST", basePath(), { key, value: valueField.value }, preconditionFor(key));
      say(`Saved ${saved.key} (version ${saved.version}).`);
      $("secret-key").value = "";
      await refresh();
    } catch (error) {
      await report(error, "Your value was not saved");
    } finally {
      valueField.value = "";
    }
  });
})();
