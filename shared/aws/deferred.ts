/**
 * Loading on first use, for the Lambda bundles' cold start: a port whose adapter and SDK client
 * are rarely needed (EC2, WAFv2, Shield, EKS in stacks; EKS and SQS in targets) is built behind
 * an `import()` that runs on its first call, so the bundle's code for that client is compiled
 * only by the invocations that call it (docs/deploy.md, "Cold start").
 */

/**
 * `load` run once, its promise shared by every caller. A load that fails is forgotten, so the
 * next call tries again (a Lambda process outlives one failed invocation).
 */
export function once<T>(load: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | undefined;
  return () => {
    loading ??= load().catch((error: unknown) => {
      loading = undefined;
      throw error;
    });
    return loading;
  };
}

/** A port: every member an async method, so each can wait for the implementation to load. */
export type AsyncPort<T> = { [K in keyof T]: (...args: never[]) => Promise<unknown> };

/**
 * A port whose implementation comes from `load` on the first method call: each method awaits
 * the loaded port, then calls the same method on it. `methods` names every method of the port
 * (the compiler refuses a missing or unknown one), so the deferred port is the whole interface.
 */
export function deferredPort<T extends AsyncPort<T>>(
  load: () => Promise<T>,
  methods: Record<keyof T, true>,
): T {
  const loaded = once(load);
  const port: Partial<Record<keyof T, unknown>> = {};
  for (const method of Object.keys(methods) as (keyof T)[]) {
    port[method] = async (...args: unknown[]) => {
      const target = await loaded();
      const implementation: (...values: never[]) => Promise<unknown> = target[method];
      return implementation.apply(target, args as never[]);
    };
  }
  return port as T;
}
