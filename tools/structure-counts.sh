#!/usr/bin/env bash
# The structure counts issue 14 is judged by, measured the same way before and after: largest files, where rules throw,
# hand-written audit calls, tests that need the demo city, assertions on literal Chinese copy, sleeps in tests.
#   tools/structure-counts.sh
set -euo pipefail
cd "$(dirname "$0")/.."
src() { git ls-files "$@" | grep -v '/Migrations/' ; }
echo "## largest source files (lines)"
src 'DezhiHub.Web/*.cs' 'DezhiHub.Web/*.razor' 'DezhiHub.Domain/*.cs' | xargs wc -l | grep -v ' total$' | sort -rn | head -12
echo "razor files over 300 lines: $(src 'DezhiHub.Web/*.razor' | xargs wc -l | grep -v ' total$' | awk '$1 > 300' | wc -l)"
echo "cs files over 400 lines (Web, Domain): $(src 'DezhiHub.Web/*.cs' 'DezhiHub.Domain/*.cs' | xargs wc -l | grep -v ' total$' | awk '$1 > 400' | wc -l)"
echo "## rules"
echo "throw new DomainException in Web: $(src 'DezhiHub.Web/*.cs' 'DezhiHub.Web/*.razor' | xargs grep -o 'throw new DomainException' | wc -l)"
echo "throw new DomainException in Domain: $(src 'DezhiHub.Domain/*.cs' | xargs grep -o 'throw new DomainException' | wc -l)"
echo "audit.Record call sites in Web (written by hand in services): $(src 'DezhiHub.Web/*.cs' 'DezhiHub.Web/*.razor' | xargs grep -o 'udit\.Record(' | wc -l)"
echo "audit entries written by domain-event handlers (RecordAs calls): $(src 'DezhiHub.Web/*.cs' | xargs grep -o 'udit\.RecordAs(' | wc -l)"
echo "error codes compared as string literals (Code == \"…\" / Code is \"…\"): $(src 'DezhiHub.Web/*.cs' 'DezhiHub.Web/*.razor' | xargs grep -o 'Code == "\|Code is "\|Code is not "' | wc -l)"
echo "distinct error codes written as literals in Web: $(src 'DezhiHub.Web/*.cs' 'DezhiHub.Web/*.razor' | xargs grep -oh 'DomainException("[A-Za-z]*\.[A-Za-z.]*"' | sort -u | wc -l)"
echo "## tests"
echo "test files: $(src 'DezhiHub.Tests/*.cs' | grep -v '/Infrastructure/' | wc -l)"
demo='Demo\.\|SeedDemo\|FeatureHost\.CreateAsync()\|FeatureHost\.CreateAsync(engine\|CreateWithFeaturesAsync()\|AppFactory'
echo "test files that use the demo city (Demo., the demo-seeded hosts, the whole app): $(src 'DezhiHub.Tests/*.cs' | grep -v '/Infrastructure/' | xargs grep -l "$demo" | wc -l)"
echo "  by tier: $(src 'DezhiHub.Tests/*.cs' | grep -v '/Infrastructure/' | xargs grep -l "$demo" | awk -F/ '{print $2}' | sort | uniq -c | tr -s ' ' | tr '\n' ';')"
echo "assertion lines comparing copy from the zh-CN resources (a fragment of 4+ characters of a text): $(python3 tools/copy-assertions.py)"
echo "assertion lines with literal Chinese text: $(src 'DezhiHub.Tests/*.cs' | xargs grep -P 'Assert|Expect|Contains\(' | grep -cP '[\x{4e00}-\x{9fff}]')"
echo "sleeps in tests (Task.Delay / Thread.Sleep outside Infrastructure): $(src 'DezhiHub.Tests/*.cs' | grep -v '/Infrastructure/' | xargs grep -o 'Task\.Delay(\|Thread\.Sleep(' | wc -l)"
