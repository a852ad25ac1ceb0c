"""The TypeScript types partners generate with openapi-typescript compile under
``tsc --strict``, and say what the API sends: open enums, the webhook bodies.

The tools come from npm, pinned, into .cache/node (ignored by git) on first use. Without
Node.js the test skips, but not under scripts/test (so not in CI): a skipped ``node`` test
fails that run (scripts/pytest_postgres_guard.py).
"""

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.http.support import served_document

pytestmark = pytest.mark.node

TOOLS = {"openapi-typescript": "7.13.0", "typescript": "5.9.3"}
CACHE = Path(__file__).parents[2] / ".cache" / "node"
# What a partner writes against the types: a job's known and later enum values, an error's
# code, each webhook body by its event. tsc --strict refuses it if a type is missing or wrong.
USE = """\
import type { components, paths, webhooks } from "./schema";

type Schemas = components["schemas"];
type Job = paths["/api/v1/jobs/{jobId}"]["get"]["responses"][200]["content"]["application/json"];

export function isLive(job: Job): boolean {
  const status: Schemas["JobStatus"] | string = job.status;
  return status === "Active";
}

export const later: Job["employmentType"] = "Apprenticeship";

export function code(error: Schemas["Error"]): string {
  return error.code;
}

type Delivery<E extends keyof webhooks> =
  NonNullable<webhooks[E]["post"]["requestBody"]>["content"]["application/json"];

export function describe(
  body: Delivery<"application.submitted"> | Delivery<"application.status_changed">
    | Delivery<"job.expired"> | Delivery<"webhook.test">,
): string {
  switch (body.event) {
    case "application.submitted":
      return `${body.data.jobTitle}: ${body.data.candidateId}`;
    case "application.status_changed":
      return `${body.data.previousStatus} -> ${body.data.newStatus}`;
    case "job.expired":
      return `job ${body.data.jobPostId} at ${body.data.expiredAt}`;
    case "webhook.test":
      return `test to ${body.data.subscriptionId}`;
  }
}
"""


def _tools() -> Path:
    if shutil.which("node") is None or shutil.which("npm") is None:
        pytest.skip("Node.js and npm are not installed")
    wanted = {"private": True, "dependencies": TOOLS}
    manifest = CACHE / "package.json"
    bin_dir = CACHE / "node_modules" / ".bin"
    if not manifest.exists() or json.loads(manifest.read_text()) != wanted or not (
            bin_dir / "tsc").exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        manifest.write_text(json.dumps(wanted))
        _run(["npm", "install", "--no-audit", "--no-fund", "--loglevel=error"], CACHE)
    return bin_dir


def _run(argv: list[str], cwd: Path) -> str:
    done = subprocess.run(argv, cwd=cwd, stdin=subprocess.DEVNULL, capture_output=True,
                          text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout + done.stderr


def test_the_generated_types_compile_with_tsc_strict(tmp_path):
    bin_dir = _tools()
    (tmp_path / "openapi.json").write_text(json.dumps(served_document()))
    _run([str(bin_dir / "openapi-typescript"), "openapi.json", "-o", "schema.ts"], tmp_path)
    (tmp_path / "use.ts").write_text(USE)
    _run([str(bin_dir / "tsc"), "--strict", "--noEmit", "--target", "es2022", "--module",
          "esnext", "--moduleResolution", "bundler", "schema.ts", "use.ts"], tmp_path)
