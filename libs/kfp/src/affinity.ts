/**
 * kfp-kubernetes' node and pod affinity terms → a Kubernetes `affinity` object
 * (Kiln passes it to the pod as it is). A term with a weight is a preference,
 * one without is a requirement, as kfp-kubernetes documents.
 */
import type { JsonValue } from '@kiln/ir';
import type { At } from './reader';
import { constantParameter } from './platform-values';

type Json = Record<string, JsonValue>;

function requirements(list: At): Json[] {
  return list.items().map((item) => {
    item.only({ key: null, operator: null, values: null });
    const values = item
      .child('values')
      .items()
      .map((v) => v.string() ?? '');
    return {
      key: item.child('key').string() ?? '',
      operator: item.child('operator').string() ?? '',
      ...(values.length > 0 && { values }),
    };
  });
}

function weightOf(item: At): number | undefined {
  const weight = item.child('weight').number();
  if (weight === undefined) return undefined;
  if (!Number.isInteger(weight) || weight < 1 || weight > 100) {
    return item.child('weight').refuse('affinity weights', `weight ${weight} is not a whole number from 1 to 100`);
  }
  return weight;
}

/** `nodeAffinity` terms → `{ nodeAffinity: { required..., preferred... } }` parts. */
export function nodeAffinity(list: At): Json | undefined {
  const required: Json[] = [];
  const preferred: Json[] = [];
  let whole: Json | undefined;
  for (const item of list.items()) {
    item.only({ matchExpressions: null, matchFields: null, weight: null, nodeAffinityJson: null });
    if (!item.child('nodeAffinityJson').missing) {
      const json = constantParameter(item.child('nodeAffinityJson'), 'kubernetes.add_node_affinity_json');
      if (json === undefined) continue;
      if (typeof json !== 'object' || json === null || Array.isArray(json) || whole) {
        item.child('nodeAffinityJson').report('kubernetes.add_node_affinity_json', 'expected one NodeAffinity object');
        continue;
      }
      whole = json;
      continue;
    }
    const term: Json = {};
    const expressions = requirements(item.child('matchExpressions'));
    const fields = requirements(item.child('matchFields'));
    if (expressions.length > 0) term['matchExpressions'] = expressions;
    if (fields.length > 0) term['matchFields'] = fields;
    const weight = weightOf(item);
    if (weight === undefined) required.push(term);
    else preferred.push({ weight, preference: term });
  }
  if (whole) {
    if (required.length + preferred.length > 0) {
      return list.refuse('kubernetes.add_node_affinity_json', 'a NodeAffinity JSON together with separate terms');
    }
    return whole;
  }
  if (required.length + preferred.length === 0) return undefined;
  return {
    ...(required.length > 0 && { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: required } }),
    ...(preferred.length > 0 && { preferredDuringSchedulingIgnoredDuringExecution: preferred }),
  };
}

/** `podAffinity` terms → `{ podAffinity?, podAntiAffinity? }`. */
export function podAffinity(list: At): Json | undefined {
  const groups: Record<'podAffinity' | 'podAntiAffinity', { required: Json[]; preferred: Json[] }> = {
    podAffinity: { required: [], preferred: [] },
    podAntiAffinity: { required: [], preferred: [] },
  };
  for (const item of list.items()) {
    item.only({
      matchPodExpressions: null,
      matchPodLabels: null,
      topologyKey: null,
      namespaces: null,
      matchNamespaceExpressions: null,
      matchNamespaceLabels: null,
      weight: null,
      anti: null,
    });
    const term: Json = {
      labelSelector: selector(item.child('matchPodExpressions'), item.child('matchPodLabels')),
      topologyKey: item.child('topologyKey').string() ?? '',
    };
    const namespaces = item
      .child('namespaces')
      .items()
      .map((n) => n.string() ?? '');
    if (namespaces.length > 0) term['namespaces'] = namespaces;
    const nsSelector = selector(item.child('matchNamespaceExpressions'), item.child('matchNamespaceLabels'));
    if (Object.keys(nsSelector).length > 0) term['namespaceSelector'] = nsSelector;
    const group = groups[item.child('anti').boolean() ? 'podAntiAffinity' : 'podAffinity'];
    const weight = weightOf(item);
    if (weight === undefined) group.required.push(term);
    else group.preferred.push({ weight, podAffinityTerm: term });
  }
  const out: Json = {};
  for (const [name, { required, preferred }] of Object.entries(groups)) {
    if (required.length + preferred.length === 0) continue;
    out[name] = {
      ...(required.length > 0 && { requiredDuringSchedulingIgnoredDuringExecution: required }),
      ...(preferred.length > 0 && { preferredDuringSchedulingIgnoredDuringExecution: preferred }),
    };
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

function selector(expressions: At, labels: At): Json {
  const out: Json = {};
  const exprs = requirements(expressions);
  if (exprs.length > 0) out['matchExpressions'] = exprs;
  const matchLabels: Record<string, string> = {};
  for (const [key, value] of labels.entries()) matchLabels[key] = value.string() ?? '';
  if (Object.keys(matchLabels).length > 0) out['matchLabels'] = matchLabels;
  return out;
}
