"""Kiln's Python-function runner (standard library only, Python 3.8+).

The launcher writes a spec file and runs ``python kiln_shim.py <spec.json>``.
The shim loads the component's source, calls its entrypoint with input
parameters (typed) and KFP-style artifact objects (``.path``, ``.uri``,
``.metadata``, ``.name``; ``Metrics.log_metric``), then writes what the function
returned and the artifacts' metadata to the result file the launcher reads.

Names: the function is called with the parameter names it declares. An input
declared as ``nEstimators`` reaches a parameter named ``n_estimators`` (and the
other way round), so a snake_case Python function fits a camelCase pipeline.

Component source may ``from kiln.dsl import Input, Output, Dataset, Model,
Metrics, ClassificationMetrics, InputPath, OutputPath`` (also importable as
``kfp.dsl`` when kfp is not installed) for annotations, and keep KFP's
``@dsl.component(...)`` decorator (the function runs as it is). ``InputPath`` /
``OutputPath`` parameters get file paths: an artifact's path, a parameter input
written to a file, or a file whose content becomes an output parameter.
``kiln.dsl.context()`` tells the run, pipeline, task, iteration and attempt; a
parameter defaulting to one of KFP's identity placeholders
(``dsl.PIPELINE_JOB_NAME_PLACEHOLDER``...) gets that value.

Packages: on the local executor the launcher runs the shim in a cached
virtualenv that already has them. In a pod the spec carries ``install``
instead: the shim makes a virtualenv in the work folder that sees the image's
own site-packages (so what the image already has is not installed again, as
``pip`` reports "Requirement already satisfied"), installs the rest with the
image's pip, and runs itself again under that virtualenv's interpreter. A
failed install leaves a failure record (``install.failureFile``) so the step
is reported as an infrastructure failure, which a retry may fix.
"""
import inspect
import json
import math
import os
import re
import subprocess
import sys
import types


class Artifact:
    """An artifact the function reads or writes: a local ``path``, a store ``uri`` and a ``metadata`` dict."""

    schema_title = "system.Artifact"

    def __init__(self, name="", uri="", metadata=None, path=None):
        self.name = name
        self.uri = uri
        self.metadata = dict(metadata or {})
        self._path = path

    @property
    def path(self):
        return self._path

    @path.setter
    def path(self, value):
        self._path = value

    def __repr__(self):
        return "%s(name=%r, uri=%r, path=%r)" % (type(self).__name__, self.name, self.uri, self._path)


class Dataset(Artifact):
    schema_title = "system.Dataset"


class Model(Artifact):
    schema_title = "system.Model"

    @property
    def framework(self):
        return self.metadata.get("framework", "")

    @framework.setter
    def framework(self, value):
        self.metadata["framework"] = value


class HTML(Artifact):
    schema_title = "system.HTML"


class Markdown(Artifact):
    schema_title = "system.Markdown"


class Metrics(Artifact):
    """Scalar metrics: ``metrics.log_metric('accuracy', 0.93)``."""

    schema_title = "system.Metrics"

    def log_metric(self, metric, value):
        self.metadata[metric] = _plain(value)


class ClassificationMetrics(Artifact):
    """Confusion matrix and ROC curve, stored in metadata as ``confusionMatrix`` and ``roc``."""

    schema_title = "system.ClassificationMetrics"

    def log_confusion_matrix(self, categories, matrix):
        categories = [str(c) for c in categories]
        rows = [[_plain(v) for v in row] for row in matrix]
        if len(rows) != len(categories) or any(len(r) != len(categories) for r in rows):
            raise ValueError("confusion matrix must be %d x %d to match the categories" % (len(categories), len(categories)))
        self.metadata["confusionMatrix"] = {"categories": categories, "matrix": rows}

    def log_roc_curve(self, fpr, tpr, threshold):
        fpr, tpr, threshold = list(fpr), list(tpr), list(threshold)
        if not (len(fpr) == len(tpr) == len(threshold)):
            raise ValueError("fpr, tpr and threshold must have the same length")
        self.metadata["roc"] = {
            "fpr": [_plain(v) for v in fpr],
            "tpr": [_plain(v) for v in tpr],
            "threshold": [_plain(v) for v in threshold],
        }


class InputPath:
    """``InputPath("Dataset")``: the function gets the input's local path (a str), not an artifact object."""

    def __init__(self, type=None):
        self.type = type


class OutputPath:
    """``OutputPath(int)`` / ``OutputPath("Model")``: the function gets a path to write the output to.

    For an output artifact it is the artifact's path; for an output parameter a file whose content
    becomes the value (text for a string, else JSON or the number as written)."""

    def __init__(self, type=None):
        self.type = type


# KFP's identity placeholders: as a parameter's default, replaced by the run's identity.
PIPELINE_JOB_NAME_PLACEHOLDER = "{{$.pipeline_job_name}}"
PIPELINE_JOB_RESOURCE_NAME_PLACEHOLDER = "{{$.pipeline_job_resource_name}}"
PIPELINE_JOB_ID_PLACEHOLDER = "{{$.pipeline_job_uuid}}"
PIPELINE_TASK_NAME_PLACEHOLDER = "{{$.pipeline_task_name}}"


class RunContext:
    """Who is running: ``run_id``, ``pipeline_name``, ``task_id``, ``iteration`` (loop indices) and ``attempt``."""

    def __init__(self, identity):
        identity = identity or {}
        self.run_id = identity.get("runId", "")
        self.pipeline_name = identity.get("pipelineName", "")
        self.task_id = identity.get("taskId", "")
        self.iteration = list(identity.get("iteration", []))
        self.attempt = identity.get("attempt", 1)

    def __repr__(self):
        return "RunContext(run_id=%r, pipeline_name=%r, task_id=%r, iteration=%r, attempt=%r)" % (
            self.run_id, self.pipeline_name, self.task_id, self.iteration, self.attempt)


_CONTEXT = RunContext(None)


def context():
    """The step's identity (``kiln.dsl.context().run_id``...)."""
    return _CONTEXT


def component(func=None, **_options):
    """KFP's ``@dsl.component`` / ``@dsl.component(base_image=..., packages_to_install=...)``: the function as it is.

    The image and packages are the Kiln component's (``python({ image, packages })``); the options are ignored here."""
    if func is None:
        return lambda f: f
    return func


class _Marker:
    """``Input[Dataset]`` / ``Output[Model]`` in annotations; they resolve to the artifact class."""

    def __class_getitem__(cls, item):
        return item


class Input(_Marker):
    pass


class Output(_Marker):
    pass


CLASSES = {
    "artifact": Artifact,
    "dataset": Dataset,
    "model": Model,
    "metrics": Metrics,
    "classificationMetrics": ClassificationMetrics,
    "html": HTML,
    "markdown": Markdown,
}


def _plain(value):
    """numpy scalars and friends → plain Python values JSON can hold."""
    if hasattr(value, "item") and callable(value.item):
        try:
            value = value.item()
        except (TypeError, ValueError):
            pass
    if hasattr(value, "tolist") and callable(value.tolist):
        value = value.tolist()
    if isinstance(value, tuple):
        value = list(value)
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def _snake(name):
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name).lower()


def _install_dsl_module():
    dsl = types.ModuleType("kiln.dsl")
    for cls in list(CLASSES.values()) + [Input, Output, InputPath, OutputPath, RunContext]:
        setattr(dsl, cls.__name__, cls)
    for name in ("component", "context", "PIPELINE_JOB_NAME_PLACEHOLDER", "PIPELINE_JOB_RESOURCE_NAME_PLACEHOLDER",
                 "PIPELINE_JOB_ID_PLACEHOLDER", "PIPELINE_TASK_NAME_PLACEHOLDER"):
        setattr(dsl, name, globals()[name])
    pkg = types.ModuleType("kiln")
    pkg.dsl = dsl
    sys.modules.setdefault("kiln", pkg)
    sys.modules.setdefault("kiln.dsl", dsl)
    # KFP-lightweight source imports kfp.dsl; only stand in when the real kfp is absent.
    try:
        import kfp.dsl  # noqa: F401
    except ImportError:
        kfp = types.ModuleType("kfp")
        kfp.dsl = dsl
        sys.modules["kfp"] = kfp
        sys.modules["kfp.dsl"] = dsl


def _coerce_param(name, ptype, value):
    if value is None:
        return None
    if ptype == "float" and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    return value


def _check_output(name, ptype, value):
    value = _plain(value)
    ok = {
        "string": lambda v: isinstance(v, str),
        "int": lambda v: isinstance(v, int) and not isinstance(v, bool),
        "float": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v),
        "bool": lambda v: isinstance(v, bool),
        "list": lambda v: isinstance(v, list),
        "object": lambda v: isinstance(v, dict),
    }[ptype](value)
    if ptype == "int" and isinstance(value, float) and value.is_integer():
        return int(value)
    if not ok:
        raise TypeError("output parameter %r should be %s but the function returned %r" % (name, ptype, value))
    if ptype == "float":
        return float(value)
    return value


def _make_artifact(name, spec):
    cls = CLASSES.get(spec["type"], Artifact)
    return cls(name=name, uri=spec["uri"], metadata=spec.get("metadata"), path=spec["path"])


def _fail_install(install, reason, message):
    # The k8s publish sidecar believes only these notes (infrastructure, VenvCreateFailed or PipInstallFailed):
    # user code can write this file too. A new reason must be added to its list (libs/k8s-activities in-pod/publish.ts).
    with open(install["failureFile"], "w", encoding="utf-8") as f:
        json.dump({"failureType": "infrastructure", "reason": reason, "message": message}, f)
    raise SystemExit("kiln: " + message)


def _run_in_package_env(install, spec_path):
    """Installs the packages into ``install.envDir`` unless done, then re-runs the shim there. Returns only when already in it."""
    env_dir = os.path.abspath(install["envDir"])
    if os.path.realpath(sys.prefix) == os.path.realpath(env_dir):
        return
    env_python = os.path.join(env_dir, "bin", "python")
    done_marker = os.path.join(env_dir, ".kiln-installed")
    packages = install["packages"]
    if not os.path.exists(done_marker):
        try:
            import pip  # noqa: F401

            has_pip = True
        except ImportError:
            has_pip = False
        # Without pip in the image, the virtualenv brings its own (ensurepip), if the image has that.
        venv_args = ["--system-site-packages"] + (["--without-pip"] if has_pip else [])
        print("[kiln] creating a virtualenv for %s in %s" % (" ".join(packages), env_dir), flush=True)
        created = subprocess.run([sys.executable, "-m", "venv"] + venv_args + [env_dir])
        if created.returncode != 0:
            _fail_install(install, "VenvCreateFailed", "creating a virtualenv with %s -m venv failed (exit code %d); the image needs the venv module" % (sys.executable, created.returncode))
        # The venv sees the image's site-packages, so the image's pip runs in it and installs into it.
        installed = subprocess.run(
            [env_python, "-m", "pip", "install", "--no-input", "--disable-pip-version-check", "--no-warn-script-location"] + packages
        )
        if installed.returncode != 0:
            _fail_install(install, "PipInstallFailed", "pip install %s failed with exit code %d" % (" ".join(packages), installed.returncode))
        with open(done_marker, "w", encoding="utf-8") as f:
            f.write("\n".join(packages) + "\n")
    sys.stdout.flush()
    sys.stderr.flush()
    os.execv(env_python, [env_python, "-u", os.path.abspath(__file__), spec_path])


def _load_function(spec):
    source_file = spec["sourceFile"]
    with open(source_file, encoding="utf-8") as f:
        code = compile(f.read(), source_file, "exec")
    module = types.ModuleType("kiln_component")
    module.__file__ = source_file
    sys.modules["kiln_component"] = module
    exec(code, module.__dict__)
    fn = getattr(module, spec["entrypoint"], None)
    # With the real kfp installed, @dsl.component gives a PythonComponent wrapping the function.
    fn = getattr(fn, "python_func", fn)
    if not callable(fn):
        raise SystemExit("kiln: the component source defines no function %r" % spec["entrypoint"])
    return fn


def _identity_default(default):
    """A KFP identity placeholder used as a parameter's default, replaced by the step's identity; else None."""
    if not isinstance(default, str):
        return None
    ctx = _CONTEXT
    return {
        PIPELINE_JOB_NAME_PLACEHOLDER: ctx.pipeline_name,
        PIPELINE_JOB_RESOURCE_NAME_PLACEHOLDER: ctx.run_id,
        PIPELINE_JOB_ID_PLACEHOLDER: ctx.run_id,
        PIPELINE_TASK_NAME_PLACEHOLDER: ctx.task_id,
    }.get(default)


def _param_file(spec, folder, name, value):
    """A parameter input asked for as ``InputPath``: its value written to a file (text for a string, else JSON)."""
    path = os.path.join(os.path.dirname(spec["resultFile"]), folder, name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    if value is not None:
        with open(path, "w", encoding="utf-8") as f:
            f.write(value if isinstance(value, str) else json.dumps(value))
    return path


def _lookup(name, exact, by_snake):
    if name in exact:
        return exact[name], True
    if _snake(name) in by_snake:
        return by_snake[_snake(name)], True
    return None, False


def _build_kwargs(fn, spec, available):
    """The function's arguments by name; returns them and the output parameters it writes through ``OutputPath``."""
    by_snake = {}
    for name, value in available.items():
        by_snake.setdefault(_snake(name), value)
    declared = spec["outputParams"]
    declared_snake = {_snake(n): n for n in declared}
    kwargs, path_outputs, takes_kwargs = {}, {}, False
    for pname, param in inspect.signature(fn).parameters.items():
        if param.kind == param.VAR_KEYWORD:
            takes_kwargs = True
            continue
        if param.kind == param.VAR_POSITIONAL:
            continue
        annotation = param.annotation
        value, found = _lookup(pname, available, by_snake)
        output_param = pname if pname in declared else declared_snake.get(_snake(pname))
        if found and isinstance(annotation, (InputPath, OutputPath)):
            value = value.path if isinstance(value, Artifact) else _param_file(spec, "kiln-input-params", pname, value)
        if found:
            kwargs[pname] = value
        elif output_param is not None and isinstance(annotation, OutputPath):
            kwargs[pname] = path_outputs[output_param] = _param_file(spec, "kiln-output-params", output_param, None)
        elif _identity_default(param.default) is not None:
            kwargs[pname] = _identity_default(param.default)
        elif param.default is param.empty:
            raise SystemExit(
                "kiln: %s() needs parameter %r, which matches no input or output of the component (have: %s)"
                % (spec["entrypoint"], pname, ", ".join(sorted(available)) or "none")
            )
    if takes_kwargs:
        used = {_snake(k) for k in kwargs}
        for name, value in available.items():
            if _snake(name) not in used:
                kwargs[name] = value
    return kwargs, path_outputs


def _read_param_file(name, ptype, path):
    if not os.path.exists(path):
        raise SystemExit("kiln: output parameter %r was not written to its OutputPath %s" % (name, path))
    with open(path, encoding="utf-8") as f:
        text = f.read()
    if ptype == "string":
        return text[:-1] if text.endswith("\n") else text
    if ptype == "bool":
        return text.strip().lower() in ("true", "1")
    if ptype == "int":
        return int(text.strip())
    if ptype == "float":
        return float(text.strip())
    return json.loads(text)


def _returned_params(returned, declared):
    if returned is None:
        return {}
    if hasattr(returned, "_asdict"):
        return dict(returned._asdict())
    if isinstance(returned, dict):
        return dict(returned)
    if len(declared) == 1:
        return {next(iter(declared)): returned}
    raise TypeError("the function returned %r; return a dict keyed by output name" % (returned,))


def main(spec_path):
    global _CONTEXT
    with open(spec_path, encoding="utf-8") as f:
        spec = json.load(f)
    if spec.get("install"):
        _run_in_package_env(spec["install"], spec_path)
    _CONTEXT = RunContext(spec.get("identity"))
    _install_dsl_module()
    fn = _load_function(spec)

    available = {}
    for name, p in spec["params"].items():
        available[name] = _coerce_param(name, p["type"], p["value"])
    for name, a in spec["inputArtifacts"].items():
        available[name] = [_make_artifact(name, x) for x in a] if isinstance(a, list) else _make_artifact(name, a)
    outputs = {name: _make_artifact(name, a) for name, a in spec["outputArtifacts"].items()}
    available.update(outputs)
    kwargs, path_outputs = _build_kwargs(fn, spec, available)

    for a in outputs.values():
        os.makedirs(os.path.dirname(a.path), exist_ok=True)

    declared = spec["outputParams"]
    values = _returned_params(fn(**kwargs), declared)
    for name, path in path_outputs.items():
        values.setdefault(name, _read_param_file(name, declared[name], path))
    params = {}
    declared_snake = {_snake(n): n for n in declared}
    for key, value in values.items():
        name = key if key in declared else declared_snake.get(_snake(key))
        if name is None:
            raise TypeError("the function returned %r, which is not a declared output parameter (%s)" % (key, ", ".join(declared) or "none"))
        params[name] = _check_output(name, declared[name], value)

    artifacts = {}
    for name, a in outputs.items():
        metadata = _plain(a.metadata)
        # Metrics live in metadata; give them a file too, so the artifact has content to upload.
        if isinstance(a, (Metrics, ClassificationMetrics)) and not os.path.exists(a.path):
            with open(a.path, "w", encoding="utf-8") as f:
                json.dump(metadata, f, indent=2, sort_keys=True)
        artifacts[name] = {"metadata": metadata}

    with open(spec["resultFile"], "w", encoding="utf-8") as f:
        json.dump({"params": params, "artifacts": artifacts}, f)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit("usage: kiln_shim.py <spec.json>")
    main(sys.argv[1])
