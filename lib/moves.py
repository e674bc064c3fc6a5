"""For the migrations that move models from one app to another with their tables: what the
database records about a model's app besides the table (content types, which permissions and
generic links such as a viewflow process's artifact point to, and viewflow's stored flow
references) is renamed with it, in both directions."""

from django.db import migrations


def move_models(old_app, new_app, models, flows=()):
    """A RunPython operation: the content types of `models` (lowercase names) go from `old_app` to
    `new_app`, and the stored references of `flows` ({old module path: new module path}, e.g.
    {"workflows/flows.ReleaseFlow": "fund/flows.ReleaseFlow"}) follow."""

    def forward(apps, schema_editor):
        _rename(apps, schema_editor, old_app, new_app, dict(flows))

    def backward(apps, schema_editor):
        _rename(
            apps, schema_editor, new_app, old_app, {new: old for old, new in dict(flows).items()}
        )

    def _rename(apps, schema_editor, source, target, references):
        content_types = apps.get_model("contenttypes", "ContentType")
        content_types.objects.using(schema_editor.connection.alias).filter(
            app_label=source, model__in=models
        ).update(app_label=target)
        with schema_editor.connection.cursor() as cursor:
            for old, new in references.items():
                cursor.execute(
                    "UPDATE viewflow_process SET flow_class = %s WHERE flow_class = %s", [new, old]
                )
                cursor.execute(
                    "UPDATE viewflow_task SET flow_task = %s || SUBSTR(flow_task, %s) "
                    "WHERE flow_task LIKE %s",
                    [new, len(old) + 1, old + ".%"],
                )

    return migrations.RunPython(forward, backward)
