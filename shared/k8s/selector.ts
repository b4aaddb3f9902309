/**
 * Kubernetes label selectors. A Service's `spec.selector` is an equality map; the general
 * LabelSelector (matchLabels + matchExpressions) is here too for target group bindings that
 * carry a node selector. An empty selector matches everything, as in Kubernetes; a missing
 * Service selector matches nothing (that Service's Endpoints are managed by hand).
 */
export type Labels = Readonly<Record<string, string>>;

export interface LabelSelectorRequirement {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  values?: readonly string[];
}

export interface LabelSelector {
  matchLabels?: Labels;
  matchExpressions?: readonly LabelSelectorRequirement[];
}

/** Does `labels` satisfy the Service-style equality selector? */
export function matchesEquality(labels: Labels | undefined, selector: Labels): boolean {
  return Object.entries(selector).every(([key, value]) => labels?.[key] === value);
}

export function matchesSelector(labels: Labels | undefined, selector: LabelSelector): boolean {
  if (!matchesEquality(labels, selector.matchLabels ?? {})) return false;
  return (selector.matchExpressions ?? []).every((requirement) => matchesRequirement(labels, requirement));
}

function matchesRequirement(labels: Labels | undefined, requirement: LabelSelectorRequirement): boolean {
  const present = labels !== undefined && Object.hasOwn(labels, requirement.key);
  const value = labels?.[requirement.key];
  const values = requirement.values ?? [];
  switch (requirement.operator) {
    case 'In':
      return present && values.includes(value as string);
    case 'NotIn':
      return !present || !values.includes(value as string);
    case 'Exists':
      return present;
    case 'DoesNotExist':
      return !present;
  }
}
