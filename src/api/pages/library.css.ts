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
form.filters .more{display:contents}
.filters-switch{position:absolute;opacity:0;width:1px;height:1px}
label.filters-label{display:none;flex-direction:row;cursor:pointer;font-weight:600;color:var(--accent-fg);font-size:.95rem}
label.filters-label::before{content:"▸ "}.filters-switch:checked+label.filters-label::before{content:"▾ "}
.filters-switch:focus-visible+label.filters-label{outline:2px solid var(--accent)}
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
.sr-only{position:absolute;width:1px;height:1px;padding:0;margin:-1px;overflow:hidden;clip:rect(0,0,0,0);white-space:nowrap;border:0}
.chart-figure,.heatmap-figure{margin:0}
.chart{width:100%;display:block;overflow:visible}
.chart .bar{fill:var(--accent)}.chart .gap{fill:#d9534f}
.chart .axis{fill:var(--muted);font-size:12px}.chart .value{fill:var(--fg);font-size:11px;font-variant-numeric:tabular-nums}
.chart-frame{display:grid;grid-template-columns:auto minmax(0,1fr)}.chart-y{display:block}.chart-y .axis{fill:var(--muted);font-size:12px}.chart-y .unit{font-weight:600}
.chart .grid{stroke:var(--line);stroke-width:1}.chart .baseline{stroke:var(--muted);stroke-width:1}
details.chart-table{margin:.25rem 0 0}details.chart-table summary{cursor:pointer;color:var(--accent-fg);font-size:.9rem}
details.chart-table table{margin:.5rem 0;font-size:.9rem}
details.chart-table .two table{margin:0}
table.heatmap{table-layout:fixed;border-collapse:separate;border-spacing:2px;font-size:.75rem}
table.heatmap th{padding:0 .15rem;border:0;font-weight:400;color:var(--muted);text-align:left;white-space:nowrap}
table.heatmap thead th.hour{text-align:left;overflow:visible}
table.heatmap thead th:first-child{width:2.5rem}
table.heatmap td{padding:0;height:1.1rem;border:0;border-radius:2px;background:var(--line)}
table.heatmap td.h1{background:#c6efd5}table.heatmap td.h2{background:#8fdcac}table.heatmap td.h3{background:#4fc57f}table.heatmap td.h4{background:#1f9d55}table.heatmap td.h5{background:#0b6b30}
@media (prefers-color-scheme:dark){table.heatmap td.h1{background:#17391f}table.heatmap td.h2{background:#1d5a30}table.heatmap td.h3{background:#1f8043}table.heatmap td.h4{background:#2fae5e}table.heatmap td.h5{background:#5fe08f}}
.two.three{grid-template-columns:repeat(auto-fit,minmax(15rem,1fr))}
.year-figures{grid-template-columns:repeat(auto-fit,minmax(10rem,1fr))}.year-figures .count{font-size:1.5rem;font-weight:600}
@media print{
  .topbar,.no-print,.banner.warn,details.chart-table{display:none}
  body{background:#fff;color:#000}a{color:#000}main{max-width:none;padding:0}
  .card{background:none;border:1px solid #ccc;break-inside:avoid}
  .chart .bar{fill:#1f9d55}
}
@media (max-width:40rem){.chart .wide-only{display:none}table.heatmap{border-spacing:1px}table.heatmap thead th:first-child{width:2rem}}
.two{display:grid;grid-template-columns:repeat(auto-fit,minmax(18rem,1fr));gap:1rem}
ol.top{margin:0;padding-left:1.5rem}ol.top li{margin:.2rem 0}
.counts{display:grid;grid-template-columns:repeat(auto-fit,minmax(8rem,1fr));gap:.5rem 1rem}
.counts .label{display:block;color:var(--muted);font-size:.85rem}
.counts .count{font-variant-numeric:tabular-nums;font-size:1.2rem}
progress{width:100%;height:.75rem;accent-color:var(--accent)}
.upload{display:flex;flex-direction:column;gap:.75rem;align-items:flex-start}
table.files td:first-child,#ignored li{overflow-wrap:anywhere}
.ok{background:var(--card)}
.cover{display:inline-block;flex:none;border-radius:.3rem;object-fit:cover;background:var(--line);vertical-align:middle}
.cover.round{border-radius:50%}
.cover-s{width:2.5rem;height:2.5rem}.cover-m{width:4rem;height:4rem}.cover-l{width:10rem;height:10rem}
.cover.placeholder{display:inline-flex;align-items:center;justify-content:center;color:var(--muted);font-size:1.1rem}
.cover-l.placeholder{font-size:3rem}
.entity-head{display:flex;gap:1rem;align-items:flex-end;flex-wrap:wrap;margin:.5rem 0}
.entity-head h1{margin:.1rem 0}
.with-cover{display:flex;gap:.6rem;align-items:flex-start}
.card>h2:first-child{margin-top:0}
.figures{display:grid;grid-template-columns:repeat(auto-fit,minmax(6.5rem,1fr));gap:.75rem;margin:.75rem 0}
.figure{display:flex;flex-direction:column;background:var(--card);border-radius:.75rem;padding:.75rem 1rem;color:var(--fg)}
.figure .count{font-size:1.6rem;font-weight:700;font-variant-numeric:tabular-nums}.figure .label{color:var(--muted);font-size:.9rem}
ol.week{list-style:none;margin:.25rem 0;padding:0}
ol.week li{display:grid;grid-template-columns:2.5rem 1fr 4.5rem;gap:.5rem;align-items:center;margin:.15rem 0}
ol.week.months li{grid-template-columns:4.5rem 1fr 4.5rem}
ol.week meter{width:100%;height:.9rem}.week-min{text-align:right;font-variant-numeric:tabular-nums;font-size:.9rem}
ul.media-list{list-style:none;margin:0;padding:0}
ul.media-list.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(17rem,1fr));gap:0 1rem}
.media{display:flex;gap:.6rem;align-items:center;padding:.3rem 0;min-width:0}
.media-text{display:flex;flex-direction:column;min-width:0}
.media-text>*{overflow:hidden;text-overflow:ellipsis;white-space:nowrap}.media-text .when{font-size:.85rem}
.table-scroll{overflow-x:auto;max-width:100%}@media (max-width:40rem){th.wide-only,td.wide-only{display:none}}
.facts{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem;margin:.5rem 0}.facts dt{color:var(--muted)}.facts dd{margin:0}
th a.sort{color:inherit}th a.sort[aria-sort]{color:var(--fg)}
details.filters-toggle>summary{cursor:pointer;font-weight:600;padding:.25rem 0}
@media (max-width:40rem){
  label.filters-label{display:flex}
  .filters-switch:not(:checked)~.more{display:none}
  .cover-l{width:7rem;height:7rem}
  .switcher{margin-left:0;width:100%}
  table.tracks thead{display:none}
  table.tracks tr{display:grid;grid-template-columns:1fr auto;border-bottom:1px solid var(--line);padding:.4rem 0}
  table.tracks td{border:0;padding:.1rem .25rem}
  table.tracks td.secondary{grid-column:1/-1;color:var(--muted);font-size:.9rem}
  table.tracks td.hide-phone{display:none}
  table.tracks td.played{grid-column:1/-1;color:var(--muted);font-size:.85rem;padding-bottom:0}
  table.tracks td.num{grid-row:1;grid-column:2}
  table.tracks td.num.plays{grid-row:2;grid-column:2}
  table.tracks.numbered tr{grid-template-columns:2rem 1fr auto}
  table.tracks.numbered td.num{grid-row:1;grid-column:3}
  table.tracks.numbered td.num.plays{grid-row:2;grid-column:3}
  table.tracks.numbered td.num.lead{grid-row:1/span 2;grid-column:1}
  table.tracks.numbered td.title{grid-row:1/span 2;grid-column:2}
}
/* the time machine: long uris wrap, the compare form wraps */
ul.changes,ol.entries,ol.timeline{padding-left:1.2rem;overflow-wrap:anywhere;word-break:break-word}
ul.changes li,ol.timeline li{margin:.2rem 0}
form.filters{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center}
form.filters select,form.filters input{max-width:100%}
/* The library's collections (no inline styles: the pages' CSP allows none) */
.collection-grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(140px,1fr));gap:12px;list-style:none;padding:0}
.plain-list{list-style:none;padding:0}
.collection-cover{width:100%;height:auto;aspect-ratio:1;object-fit:cover;border-radius:6px}
`;
