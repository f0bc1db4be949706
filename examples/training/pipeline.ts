/**
 * The seed tutorial's training pipeline in the Kiln DSL: load a dataset, train
 * a random forest, evaluate it, and deploy the model only if it is accurate
 * enough. Compile it with `bin/kiln compile examples/training/pipeline.ts`.
 */
import { artifact, param, pipeline, python, when } from '@kiln/dsl';

const packages = ['pandas', 'scikit-learn'];

/** Loads `sklearn:<name>` (a dataset bundled with scikit-learn: no download) or a CSV path/URL. */
export const loadData = python({
  name: 'load-data',
  description: 'Load a dataset bundled with scikit-learn or a CSV file into a dataset artifact.',
  packages,
  inputs: { source: param.string({ default: 'sklearn:breast_cancer' }) },
  outputs: { dataset: artifact.dataset(), rows: param.int() },
  source: `
    def load_data(source, dataset):
        import pandas as pd

        if source.startswith("sklearn:"):
            from sklearn import datasets

            name = source.split(":", 1)[1]
            loader = getattr(datasets, "load_" + name, None)
            if loader is None:
                raise ValueError("scikit-learn has no bundled dataset %r" % name)
            df = loader(as_frame=True).frame
        else:
            df = pd.read_csv(source)
        df = df.dropna().drop_duplicates()
        if "target" not in df.columns:
            raise ValueError("the dataset needs a 'target' column")
        df.to_csv(dataset.path, index=False)
        dataset.metadata["rows"] = len(df)
        dataset.metadata["columns"] = len(df.columns)
        dataset.metadata["source"] = source
        return {"rows": len(df)}
  `,
});

/** Trains a random forest on 80% of the rows; reports hold-out accuracy. */
export const trainModel = python({
  name: 'train-model',
  description: 'Train a random forest classifier.',
  packages,
  inputs: {
    dataset: artifact.dataset(),
    trees: param.int({ default: 100, description: 'number of trees in the forest' }),
    seed: param.int({ default: 42 }),
  },
  outputs: { model: artifact.model(), metrics: artifact.metrics(), accuracy: param.float() },
  source: `
    def train_model(dataset, trees, seed, model, metrics):
        import pickle
        import pandas as pd
        from sklearn.ensemble import RandomForestClassifier
        from sklearn.model_selection import train_test_split

        df = pd.read_csv(dataset.path)
        X = df.drop("target", axis=1)
        y = df["target"]
        X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=seed)
        clf = RandomForestClassifier(n_estimators=trees, random_state=seed)
        clf.fit(X_train, y_train)
        accuracy = float(clf.score(X_test, y_test))

        metrics.log_metric("accuracy", accuracy)
        with open(model.path, "wb") as f:
            pickle.dump(clf, f)
        model.metadata["framework"] = "scikit-learn"
        model.metadata["algorithm"] = "RandomForestClassifier"
        model.metadata["trees"] = trees
        return {"accuracy": accuracy}
  `,
});

/** Scores the model on the hold-out split (same seed as training): accuracy and F1. */
export const evaluateModel = python({
  name: 'evaluate-model',
  description: 'Evaluate the model on the hold-out split.',
  packages,
  inputs: { model: artifact.model(), dataset: artifact.dataset(), seed: param.int({ default: 42 }) },
  outputs: { metrics: artifact.metrics(), accuracy: param.float(), f1: param.float() },
  source: `
    def evaluate_model(model, dataset, seed, metrics):
        import pickle
        import pandas as pd
        from sklearn.metrics import accuracy_score, f1_score
        from sklearn.model_selection import train_test_split

        df = pd.read_csv(dataset.path)
        X = df.drop("target", axis=1)
        y = df["target"]
        _, X_test, _, y_test = train_test_split(X, y, test_size=0.2, random_state=seed)
        with open(model.path, "rb") as f:
            clf = pickle.load(f)
        predicted = clf.predict(X_test)
        accuracy = float(accuracy_score(y_test, predicted))
        f1 = float(f1_score(y_test, predicted, average="weighted"))
        metrics.log_metric("accuracy", accuracy)
        metrics.log_metric("f1", f1)
        return {"accuracy": accuracy, "f1": f1}
  `,
});

/** Copies the model to a folder (or uploads it to an http(s) URL) with a small manifest. */
export const deployModel = python({
  name: 'deploy-model',
  description: 'Copy the model to the deploy endpoint and write a manifest next to it.',
  inputs: { model: artifact.model(), endpoint: param.string(), accuracy: param.float() },
  outputs: { location: param.string() },
  source: `
    def deploy_model(model, endpoint, accuracy):
        import json
        import os
        import shutil
        import time
        import urllib.request

        manifest = {
            "model": "model.pkl",
            "sourceUri": model.uri,
            "accuracy": accuracy,
            "metadata": dict(model.metadata),
            "deployedAt": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        }
        if endpoint.startswith("http://") or endpoint.startswith("https://"):
            base = endpoint.rstrip("/")
            with open(model.path, "rb") as f:
                urllib.request.urlopen(urllib.request.Request(base + "/model.pkl", data=f.read(), method="PUT"))
            body = json.dumps(manifest).encode()
            urllib.request.urlopen(urllib.request.Request(base + "/manifest.json", data=body, method="PUT",
                                                          headers={"Content-Type": "application/json"}))
            return {"location": base + "/model.pkl"}
        folder = endpoint[len("file://"):] if endpoint.startswith("file://") else endpoint
        os.makedirs(folder, exist_ok=True)
        target = os.path.join(folder, "model.pkl")
        shutil.copyfile(model.path, target)
        with open(os.path.join(folder, "manifest.json"), "w") as f:
            json.dump(manifest, f, indent=2)
        return {"location": target}
  `,
});

/**
 * load → train → evaluate → deploy if accuracy >= minAccuracy.
 */
export const training = pipeline(
  {
    name: 'training-pipeline',
    description: 'Train a random forest and deploy it when it is accurate enough.',
    params: {
      dataUrl: param.string({
        default: 'sklearn:breast_cancer',
        description:
          "'sklearn:<name>' for a dataset bundled with scikit-learn, or a CSV path/URL with a 'target' column",
      }),
      minAccuracy: param.float({ default: 0.85, description: 'deploy only at or above this hold-out accuracy' }),
      deployEndpoint: param.string({
        default: '/tmp/kiln/deployed/training-pipeline',
        description: 'folder path or http(s) URL',
      }),
    },
  },
  (p) => {
    const load = loadData({ source: p.dataUrl });
    const train = trainModel({ dataset: load.outputs.dataset })
      .retry({ maxAttempts: 3, backoff: '10s' })
      .resources({ cpu: '2', memory: '4Gi' });
    const ev = evaluateModel({ model: train.outputs.model, dataset: load.outputs.dataset });
    when(ev.outputs.accuracy.ge(p.minAccuracy), () => {
      deployModel({ model: train.outputs.model, endpoint: p.deployEndpoint, accuracy: ev.outputs.accuracy }).caching(
        false,
      );
    });
    return { model: train.outputs.model, accuracy: ev.outputs.accuracy, f1: ev.outputs.f1 };
  },
);
