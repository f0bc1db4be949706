/**
 * Re-run with changed parameters: a form prefilled with the run's parameters,
 * one typed field per parameter the IR declares. It starts `POST /runs` with
 * the same stored pipeline version (or, for a run of inline IR, the same IR)
 * and experiment, and goes to the new run's page.
 */
import type { CreateRunBody } from '@kiln/api-contract';
import type { PipelineSpec } from '@kiln/ir';
import { useEffect, useId, useMemo, useRef, useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { startRun, useRunMutation } from '../../api/run-actions';
import type { RunResource } from '../../api/wire';
import { ActionError } from './ActionError';
import { initialParamValues, paramFields, readParamValues, type ParamField } from './param-form';

/** What the new run is started from: the run's stored version, or its IR sent again. */
export type RerunSource = { stored: NonNullable<CreateRunBody['pipeline']> } | { inline: true };

function FieldInput(props: {
  field: ParamField;
  id: string;
  value: string | boolean;
  describedBy: string | undefined;
  invalid: boolean;
  onChange: (value: string | boolean) => void;
  inputRef?: React.Ref<HTMLInputElement & HTMLTextAreaElement & HTMLSelectElement>;
}) {
  const { field, id, value, describedBy, invalid, onChange } = props;
  const common = {
    id,
    name: field.name,
    ...(describedBy ? { 'aria-describedby': describedBy } : {}),
    ...(invalid ? { 'aria-invalid': true } : {}),
    ...(props.inputRef ? { ref: props.inputRef } : {}),
  };
  const text = typeof value === 'string' ? value : '';
  if (field.input === 'checkbox')
    return <input {...common} type="checkbox" checked={value === true} onChange={(e) => onChange(e.target.checked)} />;
  if (field.input === 'select')
    return (
      <select {...common} value={text} onChange={(e) => onChange(e.target.value)}>
        {field.spec.optional && <option value="">(not set)</option>}
        {field.options.map((option) => (
          <option key={option} value={option}>
            {option}
          </option>
        ))}
      </select>
    );
  if (field.input === 'json')
    return <textarea {...common} rows={4} spellCheck={false} value={text} onChange={(e) => onChange(e.target.value)} />;
  return (
    <input
      {...common}
      type={field.input === 'number' ? 'number' : 'text'}
      {...(field.input === 'number' ? { step: field.spec.type === 'int' ? '1' : 'any' } : {})}
      value={text}
      onChange={(e) => onChange(e.target.value)}
    />
  );
}

export function RerunForm(props: { run: RunResource; spec: PipelineSpec; source: RerunSource; onClose: () => void }) {
  const { run, spec, source, onClose } = props;
  const fields = useMemo(() => paramFields(spec.params), [spec.params]);
  const [values, setValues] = useState(() => initialParamValues(fields, run.params));
  const [problems, setProblems] = useState<Readonly<Record<string, string>>>({});
  const navigate = useNavigate();
  const start = useRunMutation(run.runId, startRun);
  const baseId = useId();
  const titleId = `${baseId}-title`;
  const firstField = useRef<HTMLInputElement & HTMLTextAreaElement & HTMLSelectElement>(null);
  useEffect(() => firstField.current?.focus(), []);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const read = readParamValues(fields, values);
    setProblems(Object.fromEntries(read.problems.map((p) => [p.param, p.message])));
    if (read.problems.length > 0) return;
    const body: CreateRunBody = {
      ...('stored' in source ? { pipeline: source.stored } : { spec }),
      params: read.params,
      ...(run.experiment ? { experiment: run.experiment } : {}),
    };
    start.mutate(body, { onSuccess: (started) => void navigate(`/runs/${encodeURIComponent(started.runId)}`) });
  };

  return (
    <form className="rerun-form" aria-labelledby={titleId} onSubmit={submit} noValidate>
      <h2 id={titleId}>Re-run with changed parameters</h2>
      <p className="muted">
        {'stored' in source
          ? `Starts a new run of ${source.stored.name} ${source.stored.version ?? source.stored.digest ?? ''}`.trim()
          : `Starts a new run of the same IR (${run.pipeline.name}), sent inline`}
        {run.experiment ? ` in experiment ${run.experiment}.` : '.'}
      </p>
      {fields.length === 0 && <p>This pipeline declares no parameters.</p>}
      {fields.map((field, index) => {
        const id = `${baseId}-${field.name}`;
        const problem = problems[field.name];
        const described = [field.spec.description ? `${id}-help` : '', problem ? `${id}-problem` : '']
          .filter(Boolean)
          .join(' ');
        return (
          <div className="param-field" key={field.name}>
            <label htmlFor={id}>
              {field.name}{' '}
              <span className="muted">
                ({field.spec.type}
                {field.spec.optional ? ', optional' : ''})
              </span>
            </label>
            <FieldInput
              field={field}
              id={id}
              value={values[field.name] ?? ''}
              describedBy={described || undefined}
              invalid={problem !== undefined}
              onChange={(value) => setValues((old) => ({ ...old, [field.name]: value }))}
              {...(index === 0 ? { inputRef: firstField } : {})}
            />
            {field.spec.description && (
              <small id={`${id}-help`} className="muted">
                {field.spec.description}
              </small>
            )}
            {problem && (
              <small id={`${id}-problem`} className="field-problem">
                {field.name} {problem}
              </small>
            )}
          </div>
        );
      })}
      <div className="actions">
        <button type="submit" disabled={start.isPending}>
          {start.isPending ? 'Starting…' : 'Start run'}
        </button>
        <button type="button" onClick={onClose}>
          Close
        </button>
      </div>
      {start.isError && <ActionError error={start.error} action="start the run" />}
    </form>
  );
}
