/**
 * What the status page adds to the library pages' stylesheet (served at /assets/status-page.css;
 * the page's CSP allows stylesheets from its own origin and no inline style: the bars are <progress>).
 */
export const statusPageCss = `
.page-head{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:flex-end;justify-content:space-between}
.picker-form{display:flex;gap:.5rem;align-items:flex-end;flex-wrap:wrap;max-width:100%}
.page-head .picker{min-width:min(100%,16rem);max-width:100%}
.summary{display:grid;grid-template-columns:repeat(auto-fit,minmax(9rem,1fr));gap:.75rem 1rem}
.summary .summary-account{grid-column:1/-1;overflow-wrap:anywhere}.summary .summary-eta{grid-column:span 2}@media (max-width:40rem){.summary .summary-eta{grid-column:1/-1}}
.summary .label{display:block;color:var(--muted);font-size:.8rem;text-transform:uppercase;letter-spacing:.04em}
#state{text-transform:capitalize}
#state[data-state="running"]{color:var(--accent-fg)}
#state[data-state="failed"],#state[data-state="needs_reauth"]{color:var(--err-fg)}
#state[data-state="rate_limited"],#state[data-state="paused"]{color:var(--warn-fg)}
#overall-percent{font-variant-numeric:tabular-nums;font-weight:600}
.card h2{margin-top:0}
.details h2:not(:first-child){margin-top:1.25rem}
.details p{margin:.25rem 0 .5rem;overflow-wrap:anywhere}
.phase{margin:.9rem 0}
.phase-head{display:flex;justify-content:space-between;gap:.25rem 1rem;flex-wrap:wrap}
.phase-name{font-weight:600}
.phase-count{font-variant-numeric:tabular-nums;color:var(--muted)}
.bar{display:block;width:100%;height:.75rem;margin-top:.3rem;border:0;border-radius:.375rem;overflow:hidden;background:var(--line);color:var(--accent);-webkit-appearance:none;appearance:none}
.bar::-webkit-progress-bar{background:var(--line);border-radius:.375rem}
.bar::-webkit-progress-value{background:var(--accent);border-radius:.375rem}
.bar::-moz-progress-bar{background:var(--accent);border-radius:.375rem}
.phase[data-complete="true"] .phase-name::after{content:" ✓";color:var(--accent-fg)}
.controls{display:flex;flex-wrap:wrap;gap:.5rem}
.controls button{min-width:6.5rem;min-height:2.5rem;border-radius:999px;font-weight:600}
.controls button:disabled{opacity:.4;cursor:default}
.controls button.danger{background:var(--bg);border-color:var(--err-fg);color:var(--err-fg)}
.controls .button{display:inline-flex;align-items:center;justify-content:center;min-width:6.5rem;min-height:2.5rem;padding:0 1rem;border:1px solid var(--line);border-radius:999px;font-weight:600;color:var(--fg);text-decoration:none}
.controls+.muted{margin:.4rem 0 1rem}
.confirm-reset{margin-top:1rem;padding-top:.75rem;border-top:1px solid var(--line)}
.confirm-reset p{margin:0 0 .5rem}
.banner.done{background:var(--card);border:1px solid var(--line)}
#action-message:empty{display:none}
[hidden]{display:none!important}
@media (max-width:40rem){.controls button,.controls .button{flex:1 1 0;min-width:0}}
`;
