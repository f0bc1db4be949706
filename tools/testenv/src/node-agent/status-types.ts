// Pod status shapes as they go over the wire (times are RFC3339 strings; the
// generated client types say Date, which is only true after deserialization).

export interface WaitingState {
  reason: string;
  message?: string;
}

export interface RunningState {
  startedAt: string;
}

export interface TerminatedState {
  exitCode: number;
  signal?: number;
  reason: string;
  message?: string;
  startedAt?: string;
  finishedAt: string;
  containerID?: string;
}

export interface ContainerState {
  waiting?: WaitingState;
  running?: RunningState;
  terminated?: TerminatedState;
}

export interface ContainerStatus {
  name: string;
  image: string;
  imageID: string;
  containerID?: string;
  ready: boolean;
  started: boolean;
  restartCount: number;
  state: ContainerState;
  lastState: ContainerState;
}

export interface PodCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
  lastTransitionTime: string;
  lastProbeTime: string | null;
}
