"""LLaMA-Factory's ShareGPT converter on our export, and which turns its SFT processor masks.

    python llamafactory_check.py sharegpt.json

`llamafactory.data`'s package init imports its multimodal plugin, which needs torchaudio (not
installed: CPU checks do not need it). The converter and its parser do not, so they are
loaded from LLaMA-Factory's installed files under a bare package module.
"""
import json
import os
import sys
import types

import llamafactory

data_dir = os.path.join(os.path.dirname(llamafactory.__file__), "data")
package = types.ModuleType("llamafactory.data")
package.__path__ = [data_dir]
sys.modules["llamafactory.data"] = package

from llamafactory.data.converter import SharegptDatasetConverter  # noqa: E402
from llamafactory.data.data_utils import Role  # noqa: E402
from llamafactory.data.parser import DatasetAttr  # noqa: E402

records = json.load(open(sys.argv[1]))
attr = DatasetAttr("file", dataset_name="autotraj.json", formatting="sharegpt")
attr.system = "system"  # dataset_info.json: "columns": {"messages": "conversations", "system": "system"}
# The converter reads data_args only to resolve media paths; text data has none.
converter = SharegptDatasetConverter(dataset_attr=attr, data_args=types.SimpleNamespace(media_dir=None, dataset_dir="."))
out = []
for record in records:
    converted = converter(record)
    messages = converted["_prompt"] + converted["_response"]
    # SupervisedDatasetProcessor encodes (messages[0::2], messages[1::2]) pairs and labels
    # every source (even index) IGNORE_INDEX unless train_on_prompt: those turns are masked.
    out.append({
        "system": converted["_system"],
        "turns": [{"role": m["role"], "content": m["content"], "masked": i % 2 == 0} for i, m in enumerate(messages)],
    })
print(json.dumps({"roles": {r.name: r.value for r in Role}, "records": out}))
