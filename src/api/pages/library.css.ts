/** The stylesheet of the library pages, served at /assets/library.css (no inline styles: the CSP allows 'self' only). */
export const libraryCss = `
:root{--fg:#1d1d1f;--muted:#6b6b70;--bg:#fff;--card:#f4f4f6;--line:#e2e2e6;--accent:#1db954;--accent-fg:#0b6b30;--warn-bg:#fff4d6;--warn-fg:#5c4400;--err-bg:#fde2e1;--err-fg:#7a1410}
@media (prefers-color-scheme:dark){:root{--fg:#ececf0;--muted:#a0a0a8;--bg:#121214;--card:#1e1e22;--line:#33333a;--accent-fg:#5fe08f;--warn-bg:#3b3114;--warn-fg:#ffe3a3;--err-bg:#3d1a19;--err-fg:#ffc9c6}}
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
a{color:var(--accent-fg);text-decoration:none}a:hover{text-decoration:underline}
.topbar{position:sticky;top:0;z-index:1;background:var(--bg);border-bottom:1px solid var(--line)}
.topbar-inner{max-width:64rem;margin:0 auto;padding:.5rem 1rem;display:flex;flex-wrap:wrap;align-items:center;gap:.5rem 1.25rem}
.brand{font-weight:700;color:var(--fg)}
.nav{display:flex;gap:.25rem;flex-wrap:wrap;margin:0;padding:0;list-style:none}
.nav a{display:block;padding:.35rem .75rem;border-radius:999px;color:var(--fg)}
.nav a[aria-current="page"]{background:var(--accent);color:#fff}
@media (max-width:30rem){.topbar-inner{gap:.25rem .75rem}.nav{gap:0;flex-wrap:nowrap;max-width:100%;overflow-x:auto}.nav a{padding:.35rem .5rem;font-size:.95rem;white-space:nowrap}}
@media (max-width:30rem){.nav{flex-wrap:wrap}}
.switcher{margin-left:auto;display:flex;gap:.25rem;align-items:center}
main{max-width:64rem;margin:0 auto;padding:1rem}
h1{font-size:1.5rem;margin:.5rem 0}h2{font-size:1.1rem;margin:1.25rem 0 .5rem}
.muted{color:var(--muted);font-size:.9rem}
.banner{border-radius:.5rem;padding:.6rem 1rem;margin:.75rem 0}
.warn{background:var(--warn-bg);color:var(--warn-fg)}.error{background:var(--err-bg);color:var(--err-fg)}
.card{background:var(--card);border-radius:.75rem;padding:1rem;margin:.75rem 0}
form.filters{display:grid;grid-template-columns:repeat(auto-fit,minmax(9.5rem,1fr));gap:.5rem .75rem;align-items:end}
form.filters .wide{grid-column:1/-1}
label{display:flex;flex-direction:column;font-size:.85rem;color:var(--muted);gap:.15rem}
input,select,button{font:inherit;color:var(--fg);background:var(--bg);border:1px solid var(--line);border-radius:.4rem;padding:.4rem .5rem;min-width:0}
button{background:var(--accent);border-color:var(--accent);color:#fff;cursor:pointer;padding:.45rem 1rem}
.actions{display:flex;gap:.75rem;align-items:center;flex-wrap:wrap}
table{width:100%;border-collapse:collapse}
th,td{text-align:left;padding:.45rem .5rem;border-bottom:1px solid var(--line);vertical-align:top}
th{font-size:.8rem;color:var(--muted);font-weight:600}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.track-name{font-weight:600}
.badge{display:inline-block;font-size:.75rem;border-radius:999px;padding:0 .5rem;background:var(--line);color:var(--fg);margin-left:.25rem;white-space:nowrap}
.badge.removed{background:var(--err-bg);color:var(--err-fg)}.badge.syncing{background:var(--warn-bg);color:var(--warn-fg)}
.pager{display:flex;justify-content:space-between;align-items:center;margin:1rem 0;gap:1rem;flex-wrap:wrap}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(15rem,1fr));gap:.75rem}
.cards .card{margin:0}
.chart{width:100%;height:auto;display:block}
.chart .bar{fill:var(--accent)}.chart .gap{fill:#d9534f}.chart .axis{fill:var(--muted);font-size:14px}
.two{display:grid;grid-template-columns:repeat(auto-fit,minmax(18rem,1fr));gap:1rem}
ol.top{margin:0;padding-left:1.5rem}ol.top li{margin:.2rem 0}
.counts{display:grid;grid-template-columns:repeat(auto-fit,minmax(8rem,1fr));gap:.5rem 1rem}
.counts .label{display:block;color:var(--muted);font-size:.85rem}
.counts .count{font-variant-numeric:tabular-nums;font-size:1.2rem}
progress{width:100%;height:.75rem;accent-color:var(--accent)}
.upload{display:flex;flex-direction:column;gap:.75rem;align-items:flex-start}
table.files td:first-child,#ignored li{overflow-wrap:anywhere}
@media (max-width:40rem){
  .switcher{margin-left:0;width:100%}
  table.tracks thead{display:none}
  table.tracks tr{display:grid;grid-template-columns:1fr auto;border-bottom:1px solid var(--line);padding:.4rem 0}
  table.tracks td{border:0;padding:.1rem .25rem}
  table.tracks td.secondary{grid-column:1/-1;color:var(--muted);font-size:.9rem}
  table.tracks td.hide-phone{display:none}
  table.tracks td.num{grid-row:1;grid-column:2}
}
/* the time machine: long uris wrap, the compare form wraps */
ul.changes,ol.entries,ol.timeline{padding-left:1.2rem;overflow-wrap:anywhere;word-break:break-word}
ul.changes li,ol.timeline li{margin:.2rem 0}
form.filters{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center}
form.filters select,form.filters input{max-width:100%}
`;
