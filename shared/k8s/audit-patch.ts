import * as z from '../zod.js';

/**
 * A kubelet `pods/status` patch is logged at Request level: the audit event holds only the
 * strategic-merge patch the kubelet sent (the fields that changed), keyed by the pod's uid.
 * This trims it to the status fields slbc reads. Strategic-merge semantics survive the trim:
 * `null` still means "remove", list entries keep their merge keys (`type` for conditions,
 * `ip` for podIPs) and `$patch` directives, and `$setElementOrder/...` lists are kept.
 */

const ConditionPatchSchema = z.object({
  type: z.string(),
  status: z.optional(z.string()),
  lastTransitionTime: z.nullish(z.string()),
  $patch: z.optional(z.string()),
});

const PodIPPatchSchema = z.object({ ip: z.string(), $patch: z.optional(z.string()) });

const PodStatusPatchSchema = z.object({
  phase: z.nullish(z.string()),
  podIP: z.nullish(z.string()),
  podIPs: z.nullish(z.array(PodIPPatchSchema)),
  conditions: z.nullish(z.array(ConditionPatchSchema)),
  '$setElementOrder/conditions': z.optional(z.array(z.object({ type: z.string() }))),
  '$setElementOrder/podIPs': z.optional(z.array(z.object({ ip: z.string() }))),
  $retainKeys: z.optional(z.array(z.string())),
  $patch: z.optional(z.string()),
});
export type PodStatusPatch = z.infer<typeof PodStatusPatchSchema>;

const PodPatchSchema = z.object({
  metadata: z.optional(z.object({ uid: z.optional(z.string()) })),
  status: z.optional(PodStatusPatchSchema),
});

/** The fields whose presence makes a patch worth sending: the rest only orders lists. */
const CHANGING_FIELDS = ['phase', 'podIP', 'podIPs', 'conditions', '$retainKeys', '$patch'] as const;

export type TrimmedPodPatch =
  | { ok: true; uid: string | undefined; patch: { status: PodStatusPatch }; changesAnything: boolean }
  | { ok: false; field: string; message: string };

/** Trims a pods/status patch body. `patch` is itself a strategic-merge patch for the Pod. */
export function trimPodStatusPatch(requestObject: unknown): TrimmedPodPatch {
  const parsed = PodPatchSchema.safeParse(requestObject);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = ['requestObject', ...(issue?.path.map(String) ?? [])].join('.');
    return { ok: false, field, message: issue?.message ?? 'not a pod patch' };
  }
  const status = parsed.data.status ?? {};
  return {
    ok: true,
    uid: parsed.data.metadata?.uid,
    patch: { status },
    changesAnything: CHANGING_FIELDS.some((field) => field in status),
  };
}
