"""A KFP v1 component.yaml loaded with components.load_component_from_text and used in a v2
pipeline: its inputValue/inputPath/outputPath placeholders and an optional input."""
from kfp import components, dsl

UPPER_V1 = """
name: Upper case
inputs:
- {name: Text, type: String}
- {name: Suffix, type: String, optional: true}
outputs:
- {name: Result, type: String}
- {name: Log, type: Artifact}
implementation:
  container:
    image: alpine:3.20
    command:
    - sh
    - -c
    - 'mkdir -p "$(dirname "$1")" "$(dirname "$2")"; echo "$0$3" | tr a-z A-Z > "$1"; echo done > "$2"'
    - {inputValue: Text}
    - {outputPath: Result}
    - {outputPath: Log}
    - if:
        cond: {isPresent: Suffix}
        then: [{inputValue: Suffix}]
        else: ['']
"""

upper = components.load_component_from_text(UPPER_V1)


@dsl.pipeline(name="v1-component-in-pipeline")
def v1_component_in_pipeline(text: str = "loud") -> str:
    return upper(text=text, suffix="!").outputs["result"]


PIPELINE = v1_component_in_pipeline
