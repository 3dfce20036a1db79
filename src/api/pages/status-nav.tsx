import { NavBar } from './layout.js';

/** The shared navigation bar as HTML for the status page (which builds its document itself). */
export function statusNavHtml(): string {
  return String(<NavBar ctx={{ account: null, accounts: [], path: '/sync-status' }} active="status" />);
}
