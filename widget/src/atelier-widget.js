// <atelier-personalizer product-id="…" publishable-key="pk_…" api-base="https://…">
// A framework-free web component: loads the product's config, shows each zone's controls,
// validates as the shopper types (debounced, messages next to the field), renders previews
// through the API, shows the 3D model when WebGL is there (2D otherwise), freezes the design
// into a snapshot and adds it to the cart (Shopify /cart/add.js) or hands it to the page
// through an `atelier:snapshot` event. Every value is checked again by the server.
import { messages } from "./i18n.js";

const DEBOUNCE_MS = 350;
const POLL_MS = 400;

function hasWebGL() {
  try {
    const canvas = document.createElement("canvas");
    return Boolean(canvas.getContext("webgl2") || canvas.getContext("webgl"));
  } catch {
    return false;
  }
}

class AtelierPersonalizer extends HTMLElement {
  constructor() {
    super();
    this.root = this.attachShadow({ mode: "open" });
    this.values = {};
    this.events = [];
    this.session = crypto.randomUUID ? crypto.randomUUID() : String(Date.now());
  }

  get api() {
    return (this.getAttribute("api-base") || location.origin).replace(/\/$/, "") + "/api/v1";
  }

  get t() {
    return messages(this.getAttribute("lang") || document.documentElement.lang);
  }

  async call(method, path, body) {
    const response = await fetch(this.api + path, {
      method,
      headers: { "Content-Type": "application/json", "X-Atelier-Key": this.getAttribute("publishable-key") },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const data = response.status === 204 ? null : await response.json().catch(() => null);
    if (!response.ok && response.status !== 422) throw Object.assign(new Error(String(response.status)), { data });
    return { status: response.status, data };
  }

  track(event, properties = {}) {
    this.events.push({ event, sessionId: this.session, productId: this.getAttribute("product-id"),
      occurredAt: new Date().toISOString(), properties });
    clearTimeout(this.flushTimer);
    this.flushTimer = setTimeout(() => this.flush(), 1500);
  }

  flush() {
    if (!this.events.length) return;
    const batch = this.events.splice(0, 100);
    fetch(this.api + "/analytics/events", {
      method: "POST", keepalive: true,
      headers: { "Content-Type": "application/json", "X-Atelier-Key": this.getAttribute("publishable-key") },
      body: JSON.stringify({ events: batch }),
    }).catch(() => {});
  }

  async connectedCallback() {
    this.root.innerHTML = `<style>${STYLE}</style><p role="status">${this.t.loading}</p>`;
    addEventListener("pagehide", () => this.flush());
    try {
      const { data } = await this.call("GET", `/widget/config/${encodeURIComponent(this.getAttribute("product-id"))}`);
      this.config = data;
      this.render();
      this.track("widget_loaded");
    } catch {
      this.root.innerHTML = `<style>${STYLE}</style><p role="alert">${this.t.error}</p>`;
    }
  }

  render() {
    const t = this.t;
    const zones = this.config.zones.filter((z) => z.kind === "TEXT" && z.text);
    const fonts = Object.fromEntries(this.config.fonts.map((f) => [f.id, f]));
    const field = (zone) => {
      const id = `z-${zone.id}`;
      const multi = zone.rules.maxLines > 1;
      const input = multi
        ? `<textarea id="${id}" dir="auto" rows="${zone.rules.maxLines}" aria-describedby="${id}-msg"></textarea>`
        : `<input id="${id}" dir="auto" autocomplete="off" aria-describedby="${id}-msg">`;
      const options = (list, label) => list.map((v) => `<option value="${v}">${label(v)}</option>`).join("");
      return `<fieldset data-zone="${zone.id}"><legend>${zone.name}</legend>
        <label for="${id}">${t.text}</label>${input}
        <p class="msg" id="${id}-msg" aria-live="polite"></p>
        <label>${t.font} <select data-k="fontId">${options(zone.text.fontIds, (f) => fonts[f]?.family || f)}</select></label>
        <label>${t.color} <select data-k="color">${options(zone.text.colors, (c) => c)}</select></label>
        <label>${t.effect} <select data-k="effect">${options(zone.text.effects, (e) => t.effects[e] || e)}</select></label>
      </fieldset>`;
    };
    this.root.innerHTML = `<style>${STYLE}</style>
      <form novalidate>
        <h2>${this.config.product.name}</h2>
        ${zones.map(field).join("")}
        <div class="preview"><p class="status" role="status" aria-live="polite"></p>
          <img class="image" alt="${t.preview}" hidden>
          <div class="three" hidden></div></div>
        <button type="submit">${t.addToCart}</button>
      </form>`;
    const form = this.root.querySelector("form");
    form.addEventListener("input", () => this.changed());
    form.addEventListener("change", () => this.changed());
    form.addEventListener("submit", (event) => { event.preventDefault(); this.addToCart(); });
  }

  design() {
    const zones = {};
    for (const set of this.root.querySelectorAll("fieldset[data-zone]")) {
      const text = set.querySelector("input,textarea").value;
      if (!text) continue;
      const value = { text };
      for (const select of set.querySelectorAll("select")) value[select.dataset.k] = select.value;
      zones[set.dataset.zone] = value;
    }
    return { productId: this.config.product.id, zones };
  }

  changed() {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.validate(), DEBOUNCE_MS);
  }

  async validate() {
    const design = this.design();
    const { data } = await this.call("POST", "/personalization/validate", design);
    for (const msg of this.root.querySelectorAll(".msg")) msg.textContent = "";
    for (const issue of data.issues || []) {
      const msg = this.root.querySelector(`#z-${CSS.escape(issue.zoneId)}-msg`);
      if (msg) msg.textContent = this.t.codes[issue.code] || issue.message;
    }
    if (!data.valid) {
      this.track("validation_failed", { codes: (data.issues || []).map((i) => i.code).join(",") });
      return null;
    }
    if (Object.keys(design.zones).length) await this.preview(design);
    return design;
  }

  async snapshot(design) {
    const { data } = await this.call("POST", "/snapshots", { design, provenance: { sessionId: this.session, widgetVersion: "1.0.0" } });
    return data;
  }

  async preview(design) {
    const status = this.root.querySelector(".status");
    status.textContent = this.t.rendering;
    const ticket = ++this.ticket || (this.ticket = 1);
    this.track("preview_requested");
    const snap = await this.snapshot(design);
    let { data } = await this.call("POST", "/renders/preview", { snapshotId: snap.id });
    while (data.status === "pending" || data.status === "processing") {
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      ({ data } = await this.call("GET", `/renders/${data.renderId}/status`));
    }
    if (ticket !== this.ticket) return; // a newer design is on its way
    if (data.status !== "success") { status.textContent = this.t.error; return; }
    const image = await this.fetchFile(data.renderId, "webp");
    const img = this.root.querySelector(".image");
    img.src = image; img.hidden = false;
    status.textContent = this.t.ready;
    this.track("preview_ready");
    this.show3d(data.renderId);
  }

  async fetchFile(renderId, format) {
    // fetch follows the redirect to the signed, immutable file; <img src> could not send the key
    const response = await fetch(`${this.api}/renders/${renderId}/preview?format=${format}`, {
      headers: { "X-Atelier-Key": this.getAttribute("publishable-key") },
    });
    if (!response.ok) throw new Error(String(response.status));
    return URL.createObjectURL(await response.blob());
  }

  async show3d(renderId) {
    const box = this.root.querySelector(".three");
    if (!hasWebGL()) { box.hidden = false; box.textContent = this.t.noWebgl; box.dataset.fallback = "2d"; return; }
    await import("@google/model-viewer"); // lazy: never part of the widget's own size
    const viewer = document.createElement("model-viewer");
    // model-viewer shows its own AR button: Scene Viewer with the GLB, Quick Look with the USDZ.
    viewer.setAttribute("camera-controls", ""); viewer.setAttribute("ar", "");
    viewer.setAttribute("ar-modes", "webxr scene-viewer quick-look");
    viewer.setAttribute("alt", this.t.view3d);
    viewer.src = await this.fetchFile(renderId, "glb");
    viewer.setAttribute("ios-src", await this.fetchFile(renderId, "usdz"));
    box.replaceChildren(viewer); box.hidden = false; box.dataset.fallback = "";
  }

  async addToCart() {
    const design = await this.validate();
    if (!design) return;
    this.track("add_to_cart_clicked");
    const snap = await this.snapshot(design);
    this.track("snapshot_created");
    const detail = { snapshotId: snap.id, specHash: snap.specHash, productId: design.productId };
    this.dispatchEvent(new CustomEvent("atelier:snapshot", { detail, bubbles: true, composed: true }));
    if (window.Shopify && this.getAttribute("variant-id")) {
      await fetch("/cart/add.js", { method: "POST", headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ items: [{ id: Number(this.getAttribute("variant-id")), quantity: 1,
          properties: { _atelier_snapshot: snap.id } }] }) });
    }
    this.root.querySelector(".status").textContent = this.t.added;
    this.flush();
  }
}

const STYLE = `
:host{display:block;font:15px/1.4 system-ui,sans-serif;max-width:32rem}
fieldset{border:1px solid #ccc;border-radius:6px;margin:0 0 .75rem;padding:.5rem .75rem}
label{display:block;margin:.25rem 0}
input,textarea,select{font:inherit;width:100%;box-sizing:border-box}
.msg{color:#b00020;min-height:1.2em;margin:.2rem 0}
.image{max-width:100%;border-radius:6px}
.three{min-height:1.5em}
model-viewer{width:100%;height:18rem}
button{font:inherit;padding:.5rem 1rem;margin-top:.5rem}
:focus-visible{outline:3px solid #06c;outline-offset:2px}
`;

if (!customElements.get("atelier-personalizer")) {
  customElements.define("atelier-personalizer", AtelierPersonalizer);
}
