/**
 * A KFP container's `resources` → Kiln task resources. An accelerator is what
 * KFP's Kubernetes backend makes of it: its type is an extended resource name
 * (`nvidia.com/gpu`) and its count goes into the pod's limits — a Kiln `gpu`
 * request, never a node selector.
 */
import type { TaskSettings } from '@kiln/ir';
import type { At } from './reader';

type Resources = NonNullable<TaskSettings['resources']>;

const QUANTITY = /^[0-9]+(\.[0-9]+)?(m|k|Ki|M|Mi|G|Gi|T|Ti|P|Pi|E|Ei)?$/;
/** A Kubernetes extended resource name: `<domain>/<name>`. */
const RESOURCE_NAME =
  /^([a-z0-9]([-a-z0-9]*[a-z0-9])?\.)+[a-z0-9]([-a-z0-9]*[a-z0-9])?\/[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

export function readResources(at: At): Resources | undefined {
  at.only({
    resourceCpuLimit: null,
    resourceCpuRequest: null,
    resourceMemoryLimit: null,
    resourceMemoryRequest: null,
    cpuLimit: null,
    cpuRequest: null,
    memoryLimit: null,
    memoryRequest: null,
    accelerator: null,
  });
  if (at.missing) return undefined;
  const resources: Resources = {};
  const cpu = {
    request: quantity(at, 'resourceCpuRequest', 'cpuRequest', ''),
    limit: quantity(at, 'resourceCpuLimit', 'cpuLimit', ''),
  };
  // The deprecated memory doubles are in gigabytes (KFP converts "1Gi" to 1.073741824).
  const memory = {
    request: quantity(at, 'resourceMemoryRequest', 'memoryRequest', 'G'),
    limit: quantity(at, 'resourceMemoryLimit', 'memoryLimit', 'G'),
  };
  if (cpu.request || cpu.limit) resources.cpu = definedOnly(cpu);
  if (memory.request || memory.limit) resources.memory = definedOnly(memory);
  const gpu = accelerator(at.child('accelerator'));
  if (gpu) resources.gpu = gpu;
  return resources;
}

function quantity(at: At, field: string, legacy: string, legacyUnit: string): string | undefined {
  const modern = at.child(field);
  const text = modern.missing ? legacyQuantity(at.child(legacy), legacyUnit) : modern.string();
  if (text === undefined || text === '') return undefined;
  const where = modern.missing ? at.child(legacy) : modern;
  if (text.includes('{{$')) {
    return where.refuse('resources from pipeline parameters', 'Kiln resources are fixed when the pipeline is compiled');
  }
  if (!QUANTITY.test(text)) return where.refuse('resources', `"${text}" is not a Kubernetes quantity Kiln accepts`);
  return text;
}

function legacyQuantity(at: At, unit: string): string | undefined {
  const value = at.number();
  return value === undefined || value === 0 ? undefined : `${value}${unit}`;
}

function accelerator(at: At): Resources['gpu'] {
  at.only({ type: null, count: null, resourceType: null, resourceCount: null });
  if (at.missing) return undefined;
  const typeAt = at.child('resourceType').missing ? at.child('type') : at.child('resourceType');
  const countAt = at.child('resourceCount').missing ? at.child('count') : at.child('resourceCount');
  const type = typeAt.string();
  const countText = countAt.missing ? undefined : String(countAt.value);
  if (type?.includes('{{$') || countText?.includes('{{$')) {
    return at.refuse('accelerators from pipeline parameters', 'Kiln resources are fixed when the pipeline is compiled');
  }
  if (!type)
    return countText ? at.refuse('task.set_accelerator_limit', 'an accelerator count without a type') : undefined;
  if (!RESOURCE_NAME.test(type)) {
    return typeAt.refuse(
      'task.set_accelerator_type',
      `"${type}" is not a Kubernetes resource name; KFP's Kubernetes backend puts the type into the pod's limits, so use a resource name such as nvidia.com/gpu`,
    );
  }
  const count = countText === undefined ? 1 : Number(countText);
  if (!Number.isInteger(count) || count < 1) {
    return countAt.refuse('task.set_accelerator_limit', `"${countText}" is not a whole number of accelerators`);
  }
  return { count, resource: type };
}

function definedOnly(value: { request: string | undefined; limit: string | undefined }): {
  request?: string;
  limit?: string;
} {
  return {
    ...(value.request !== undefined && { request: value.request }),
    ...(value.limit !== undefined && { limit: value.limit }),
  };
}
