/**
 * The bodies a stand-in kube-apiserver returns: just enough discovery and one pod for
 * `kubectl get pods` (v1.32 client) to work.
 */

/** Version the stand-in claims to be, matching the kubectl on this machine. */
const SERVER_VERSION = { major: '1', minor: '32', gitVersion: 'v1.32.4' };
/** Name of the one pod in every namespace. */
export const DEMO_POD_NAME = 'demo-pod';
/** A fixed creation time, so that output does not depend on when the test ran. */
const CREATED_AT = '2024-01-01T00:00:00Z';
/** The demo pod was "created" when the stand-in API server started, so kubectl shows a plausible AGE. */
const POD_CREATED_AT = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');

/** A `Status` failure body, as kube-apiserver sends with 4xx answers. */
export function statusFailure(code: number, reason: string, message: string) {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code };
}

/** GET /version. */
export function versionInfo() {
  return {
    ...SERVER_VERSION,
    gitCommit: '0000000000000000000000000000000000000000',
    gitTreeState: 'clean',
    buildDate: CREATED_AT,
    goVersion: 'go1.23.0',
    compiler: 'gc',
    platform: 'linux/amd64',
  };
}

/** GET /api: legacy discovery (kubectl falls back to it from aggregated discovery). */
export function apiVersions(serverAddress: string) {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

/** GET /apis: no API groups besides the core one. */
export function apiGroupList() {
  return { kind: 'APIGroupList', apiVersion: 'v1', groups: [] };
}

/** GET /api/v1: the core resources kubectl needs to resolve `pods`. */
export function coreResourceList() {
  return {
    kind: 'APIResourceList',
    groupVersion: 'v1',
    resources: [
      {
        name: 'pods',
        singularName: 'pod',
        namespaced: true,
        kind: 'Pod',
        verbs: ['get', 'list'],
        shortNames: ['po'],
        categories: ['all'],
      },
    ],
  };
}

function demoPod(namespace: string) {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: DEMO_POD_NAME,
      namespace,
      uid: `${namespace}-${DEMO_POD_NAME}`,
      resourceVersion: '1',
      creationTimestamp: POD_CREATED_AT,
    },
    spec: { containers: [{ name: 'app', image: 'registry.example/demo:1' }] },
    status: {
      phase: 'Running',
      containerStatuses: [
        {
          name: 'app',
          image: 'registry.example/demo:1',
          ready: true,
          restartCount: 0,
          state: { running: { startedAt: CREATED_AT } },
        },
      ],
    },
  };
}

/** GET /api/v1/namespaces/:namespace/pods: a PodList with the demo pod (for `-o json` and the like). */
export function podList(namespace: string) {
  return { kind: 'PodList', apiVersion: 'v1', metadata: { resourceVersion: '1' }, items: [demoPod(namespace)] };
}

/**
 * The same list as a meta.k8s.io/v1 Table, which `kubectl get` asks for and prints as kube-apiserver
 * would (NAME READY STATUS RESTARTS AGE); with a plain list it prints only NAME and AGE.
 */
export function podTable(namespace: string) {
  const pod = demoPod(namespace);
  const ageSeconds = Math.max(0, Math.floor((Date.now() - Date.parse(POD_CREATED_AT)) / 1000));
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: { resourceVersion: '1' },
    columnDefinitions: ['Name', 'Ready', 'Status', 'Restarts', 'Age'].map((name) => ({
      name,
      type: 'string',
      format: name === 'Name' ? 'name' : '',
      description: '',
      priority: 0,
    })),
    rows: [
      {
        cells: [
          pod.metadata.name,
          '1/1',
          pod.status.phase,
          '0',
          ageSeconds < 120 ? `${ageSeconds}s` : `${Math.floor(ageSeconds / 60)}m`,
        ],
        object: { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: pod.metadata },
      },
    ],
  };
}
