"""``python -m schema [--check]``: regenerate (or check) schema/article.schema.json."""

from schema.export import main

raise SystemExit(main())
