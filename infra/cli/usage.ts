/** The help text of each `slbc` command (`slbc <command> --help`), keyed by help topic. */

const GLOBAL = `global options:
  -o, --output json|text   what stdout holds (default text)
      --debug              print the stack trace of an unexpected error
  -h, --help               this help (exit 0)
      --version            slbc's version (exit 0)`;

const AWS = `AWS: the SDK's chain. Region from --region, AWS_REGION, AWS_DEFAULT_REGION or the profile's
config; credentials from the environment, --profile/AWS_PROFILE, SSO or the instance role.
--endpoint (or AWS_ENDPOINT_URL) points at the local endpoint.`;

export const USAGE: Record<string, string> = {
  slbc: `usage: slbc <command> [options]

commands:
  local [--keep]                          run slbc, a simulated EKS cluster and a local AWS endpoint; apply the demo and converge
  local run --scenario F --report R       run a scenario file and write its JSON report
  replay --from T --to T [--stage S]      replay the bus archive between two times
  status [--stage S] [--cluster C]        load balancers, target groups and targets slbc owns, and recorded errors
  plan [--kubeconfig F | --manifests D]   the changes slbc would make (exit 2 when there are any)
  explain <ingress|service|target> NAME   why a rule, target or error exists

${GLOBAL}

Every command takes --help. Exit codes: 0 done, 1 failed, 2 usage error (plan: 2 = changes).`,
  local: `usage: slbc local [--keep] [--time-scale N] [--seed N]

Starts the local AWS endpoint, the simulated EKS cluster and slbc's four functions wired as in
serverless.yml, applies the demo (an NLB Service in IP mode and an IngressGroup of two apps),
shows progress, prints the topology and exits 0 once converged.

  --keep            keep running, serving the endpoint on port 4566, print the environment to
                    export and a kubeconfig for the simulated cluster, and print changes
  --time-scale N    clock ms per wall ms (default 20)
  --seed N          seed of every random choice (default 1)

${GLOBAL}`,
  'local-run': `usage: slbc local run --scenario FILE.yaml --report FILE.json

Runs a scenario against a fresh local system and writes its report. Exit 0 when converged.
With --output json, stdout holds one line: { scenario, report, converged }.

${GLOBAL}`,
  replay: `usage: slbc replay --from TIME --to TIME [--stage S] [--bus B] [--archive A]
                   [--endpoint URL] [--region R] [--profile P]

Starts a replay of the bus archive onto the bus and waits for DescribeReplay to say COMPLETED or
FAILED. TIME is ISO 8601 (2026-01-01T10:00:00Z) or relative to now (-15m, -2h, -1d, now).
Bus and archive are serverless.yml's names for the stage (--stage or SLBC_STAGE; no default),
unless --bus (or SLBC_BUS_NAME) and --archive name them.

${AWS}

${GLOBAL}`,
  status: `usage: slbc status [--stage S] [--table T] [--cluster C] [--endpoint URL] [--region R] [--profile P]

Lists the load balancers, target groups and targets tagged elbv2.k8s.aws/cluster (all clusters
unless --cluster), with target health, and the errors recorded in the state table. The table
is --table or SLBC_TABLE_NAME, else serverless.yml's name for the stage (--stage or
SLBC_STAGE; no default). Against \`slbc local --keep\`: export what it prints, then
\`slbc status --stage local\`.

${AWS}

${GLOBAL}`,
  plan: `usage: slbc plan [--kubeconfig FILE | --manifests DIR|FILE] [--cluster C] [--stage S] [--output json|text]

Reads the cluster (through a kubeconfig, KUBECONFIG, or manifest files) and the account (by tags)
and prints, per stack, the ordered changes slbc would make: + create, ~ modify, - delete, with
the fields that differ and why. Read-only. The configuration (ingress class, defaults) is the
stage's stacks function's (--stage or SLBC_STAGE), else SLBC_* from the environment. The cluster
is --cluster, else the kubeconfig's, else the configuration's only one.
Exit 0: no changes and no errors; 2: changes or model errors; 1: the command failed.

${AWS}

${GLOBAL}`,
  explain: `usage: slbc explain <ingress|service|target> NAME [--cluster C] [--stage S | --table T]

Why this rule, target or error exists: the rules and target groups the model derives from the
object (and the member that produced each), its model errors, the error recorded in the state
table, and the newest history entries of its key with the event that caused them. NAME is
namespace/name for ingress and service, a target group name or ARN for target. Read-only.

${AWS}

${GLOBAL}`,
};
