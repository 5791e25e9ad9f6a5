/**
 * The breadcrumb over the canvas: the model, then the groups down to the selection (pass-through
 * groups folded into one crumb, "encoder/layer.3"); a crumb zooms to its group, the first fits all.
 */
import { h } from '../ui/dom';
import { displayPath, type Hierarchy } from '../../src/core/graphLayout/hierarchy';

export function breadcrumbCrumbs(hierarchy: Hierarchy, fileName: string, group: number, onCrumb: (group: number) => void): HTMLElement[] {
  const path = displayPath(hierarchy, Math.min(group, hierarchy.groupCount - 1));
  const crumbs: HTMLElement[] = [];
  path.forEach((g, k) => {
    if (k > 0) crumbs.push(h('span', { class: 'crumb-sep', 'aria-hidden': 'true' }, '›'));
    const name = g === 0 ? fileName : crumbName(hierarchy, g, path[k - 1]);
    const button = h('button', { class: 'crumb', type: 'button', title: g === 0 ? 'Fit the whole graph' : `Zoom to ${name}` }, name);
    button.addEventListener('click', () => onCrumb(g));
    crumbs.push(button);
  });
  return crumbs;
}

/** A crumb's name, with the pass-through groups folded into it joined by '/'. */
function crumbName(hierarchy: Hierarchy, g: number, previous: number): string {
  const names: string[] = [];
  for (let at = g; at >= 0 && at !== previous; at = hierarchy.parent[at]) names.push(hierarchy.names[at]);
  return names.reverse().join('/');
}
