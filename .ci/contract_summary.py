"""One line from schemathesis's NDJSON report: requests, failures per check, errors.

Exits 1 when any check failed or schemathesis hit an error, so the gate does not depend on
reading the human output. Positive cases the server refused (400, 422) are counted too: the
gate does not fail on them, since cross-field rules are no schema's to state, but the number
says how far the document is from what the server enforces.
"""

import collections
import glob
import json
import sys


def main(report_dir):
    paths = glob.glob(f"{report_dir}/ndjson-*.ndjson")
    if len(paths) != 1:
        print(f"contract: expected one NDJSON report in {report_dir}, found {len(paths)}")
        return 1
    requests = 0
    statuses = collections.Counter()
    failed = collections.Counter()
    failing = collections.defaultdict(set)
    positive = refused = 0
    errors = []
    stop = "?"
    with open(paths[0], encoding="utf-8") as f:
        for line in f:
            event = json.loads(line)
            if "NonFatalError" in event:
                e = event["NonFatalError"]
                errors.append(f"{e.get('label')}: {e['value']['type']}: {e['value']['message']}")
            if "EngineFinished" in event:
                stop = event["EngineFinished"].get("stop_reason", "?")
            done = event.get("ScenarioFinished")
            if not done:
                continue
            recorder = done["recorder"]
            cases = recorder.get("cases", {})
            for case_id, interaction in recorder.get("interactions", {}).items():
                requests += 1
                response = interaction.get("response") or {}
                status = response.get("status_code")
                statuses[status] += 1
                meta = (cases.get(case_id, {}).get("value") or {}).get("meta") or {}
                if (meta.get("generation") or {}).get("mode") == "positive":
                    positive += 1
                    refused += status in (400, 422)
            for case_id, checks in recorder.get("checks", {}).items():
                for check in checks:
                    if check["status"] == "failure":
                        failed[check["name"]] += 1
                        failing[check["name"]].add(recorder["label"])
    classes = collections.Counter(f"{s // 100}xx" if s else "none" for s in statuses.elements())
    print(
        f"contract: {requests} requests ({', '.join(f'{k} {v}' for k, v in sorted(classes.items()))}); "
        f"failed checks: {dict(failed) or 'none'}; errors: {len(errors)}; "
        f"positive cases refused with 400/422: {refused} of {positive}; stopped by {stop}"
    )
    for name, labels in sorted(failing.items()):
        print(f"  {name}: {', '.join(sorted(labels))}")
    for e in errors:
        print(f"  error: {e}")
    return 1 if failed or errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
