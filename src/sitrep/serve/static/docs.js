// A docs page written from /openapi.json: every endpoint, its parameters, and a form to try it. Served by sitrep
// itself, because the usual Swagger UI page loads its code from a CDN.
const spec = await (await fetch("/openapi.json")).json();
const $ = (s) => document.querySelector(s);
function el(tag, attrs = {}, ...kids) {
  const n = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) n.setAttribute(k, v);
  for (const k of kids.flat()) if (k != null) n.append(k instanceof Node ? k : String(k));
  return n;
}
$("#intro").append(el("p", {}, spec.info.description || ""), el("p", {}, `version ${spec.info.version}`));
for (const [path, ops] of Object.entries(spec.paths)) {
  const op = ops.get;
  if (!op) continue;
  const params = op.parameters || [];
  const table = el("table", {}, el("tr", {}, el("th", {}, "parameter"), el("th", {}, "in"), el("th", {}, "description")));
  for (const p of params) table.append(el("tr", {}, el("td", {}, el("code", {}, p.name)), el("td", {}, p.in), el("td", {}, p.description || "")));
  const form = el("form", {});
  const out = el("pre", {});
  for (const p of params) form.append(el("label", {}, ` ${p.name} `, el("input", { name: p.name, "data-in": p.in })));
  form.append(" ", el("button", { type: "submit" }, "try"));
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    let url = path;
    const q = new URLSearchParams();
    for (const input of form.querySelectorAll("input")) {
      if (!input.value) continue;
      if (input.dataset.in === "path") url = url.replace(`{${input.name}}`, encodeURIComponent(input.value));
      else q.set(input.name, input.value);
    }
    const full = url + (q.toString() ? "?" + q : "");
    const res = await fetch(full);
    const text = await res.text();
    out.textContent = `GET ${full} -> ${res.status}\n` + text.slice(0, 4000);
  });
  $("#paths").append(el("h2", {}, `GET ${path}`), el("p", {}, op.summary || ""), el("p", {}, op.description || ""),
    params.length ? table : el("p", {}, "no parameters"), form, out);
}
