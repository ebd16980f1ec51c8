"""``manage.py check`` refuses a content app that is not wired into the seam (``iomsite.content``).

- ``iomsite.E001`` an installed app has publishable models but its config is not a ``ContentAppConfig``;
- ``iomsite.E002`` a publishable model is not declared by its app (``ContentAppConfig.content``);
- ``iomsite.E003`` a declaration names a model, field, tree or lookup that does not exist;
- ``iomsite.E004`` a URL prefix is taken twice, by the core, or its URLs are not included;
- ``iomsite.E005`` a dotted path (sitemap, demo, generator, bench, home items, search queryset) does not import;
- ``iomsite.W001`` a model belongs to a declared one (a cascading foreign key) but is not declared as its part.
"""

from django.apps import apps
from django.core import checks
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.urls import get_resolver
from django.utils.module_loading import import_string

from iomsite import content


@checks.register()
def check_content_apps(app_configs=None, **kwargs):
    app_configs = list(app_configs) if app_configs is not None else list(apps.get_app_configs())
    errors = []
    for config in app_configs:
        errors += check_wired(config)
        if isinstance(config, content.ContentAppConfig):
            errors += check_declarations(config)
            errors += check_paths(config)
    errors += check_urls([c for c in app_configs if isinstance(c, content.ContentAppConfig)])
    return errors


def publishable_models_of(config):
    from iomsite.models import PublishableModel

    return [
        model
        for model in config.get_models()
        if issubclass(model, PublishableModel) and not model._meta.abstract and not model._meta.proxy
    ]


def check_wired(config):
    if isinstance(config, content.ContentAppConfig):
        return []
    found = publishable_models_of(config)
    if not found:
        return []
    return [
        checks.Error(
            f"The app '{config.label}' has publishable models ({', '.join(m.__name__ for m in found)}) "
            "but is not a content app.",
            hint="Make its AppConfig subclass iomsite.content.ContentAppConfig and declare its models in `content`.",
            obj=config,
            id="iomsite.E001",
        )
    ]


def _declared_model(config, declaration):
    label = declaration.model if "." in declaration.model else f"{config.label}.{declaration.model}"
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None


def _lookup_ok(model, lookup):
    if lookup == "pk":
        return True
    for part in lookup.split("__"):
        try:
            field = model._meta.get_field(part)
        except FieldDoesNotExist:
            return False
        if field.related_model is None:
            return False
        model = field.related_model
    return True


def check_declarations(config):
    errors = []

    def error(message, hint=None, obj=config):
        errors.append(checks.Error(message, hint=hint, obj=obj, id="iomsite.E003"))

    declared = set()
    trees = {
        d.key or (m._meta.model_name if m else "")
        for c in content.content_apps()
        for d in c.content
        if d.section_root and (m := _declared_model(c, d)) is not None
    }
    for declaration in config.content:
        model = _declared_model(config, declaration)
        if model is None:
            error(f"'{config.label}' declares the model '{declaration.model}', which does not exist.")
            continue
        declared.add(model)
        name = model._meta.label
        if declaration.shape not in content.SHAPES:
            error(f"{name}: the shape '{declaration.shape}' is not one of {', '.join(content.SHAPES)}.", obj=model)
        is_tree = hasattr(model, "_mptt_meta")
        if (declaration.shape == content.TREE) != is_tree:
            error(f"{name}: the shape '{declaration.shape}' does not match the model (django-mptt tree: {is_tree}).")
        if declaration.section_root and declaration.shape != content.TREE:
            error(f"{name}: only a tree can be a section root.", obj=model)
        if declaration.topics and declaration.shape != content.TREE:
            error(f"{name}: the newsletter's topics are the top-level nodes of a tree.", obj=model)
        for attribute in ("part_of", "listed_in"):
            field_name = getattr(declaration, attribute)
            if not field_name:
                continue
            try:
                field = model._meta.get_field(field_name)
            except FieldDoesNotExist:
                field = None
            if field is None or not field.many_to_one:
                error(f"{name}: '{attribute}' names '{field_name}', which is not a foreign key of the model.")
            elif content.get(field.related_model) is None and not _declared_anywhere(field.related_model):
                error(f"{name}: '{attribute}' leads to {field.related_model._meta.label}, which no app declares.")
        for tree, lookup in (declaration.sections or {}).items():
            if tree not in trees:
                error(f"{name}: sections name the tree '{tree}', which no app declares as a section root.")
            elif not _lookup_ok(model, lookup):
                error(f"{name}: the section path '{lookup}' does not lead from the model to a related object.")
        if declaration.search is not None:
            if not hasattr(model, "search_data"):
                error(f"{name} is searchable but has no search_data() method.", obj=model)
            if declaration.search.facet and declaration.shape != content.TREE:
                error(f"{name}: a search facet is the top-level nodes of a tree.", obj=model)
        if declaration.part_of and model._meta.get_field(declaration.part_of).many_to_one:
            from iomsite.models import PublishableModel

            if issubclass(model, PublishableModel):
                error(
                    f"{name} has its own publishing state, so it cannot be a part of another object.",
                    hint="Use listed_in for an item with its own state that is shown on another's page.",
                    obj=model,
                )
    for model in publishable_models_of(config):
        if model not in declared:
            errors.append(
                checks.Error(
                    f"The publishable model {model._meta.label} is unknown to the seam.",
                    hint=f"Declare it in {type(config).__name__}.content: Content('{model.__name__}', ...).",
                    obj=model,
                    id="iomsite.E002",
                )
            )
    for model in config.get_models():
        if model in declared:
            continue
        for field in model._meta.concrete_fields:
            if (
                field.many_to_one
                and field.remote_field.on_delete is models.CASCADE
                and field.related_model in declared
                and field.related_model is not model
            ):
                errors.append(
                    checks.Warning(
                        f"{model._meta.label} belongs to {field.related_model._meta.label} "
                        f"(foreign key '{field.name}') but the seam does not know it.",
                        hint=f"Declare it: Content('{model.__name__}', part_of='{field.name}').",
                        obj=model,
                        id="iomsite.W001",
                    )
                )
    return errors


def _declared_anywhere(model):
    return any(_declared_model(config, d) is model for config in content.content_apps() for d in config.content)


def check_paths(config):
    dotted = [("sitemap", path) for path in config.sitemaps.values()]
    dotted += [(name, getattr(config, name)) for name in ("demo", "generate", "bench") if getattr(config, name)]
    dotted += [("home items", home.items) for home in content.home_blocks(config)]
    dotted += [
        ("search queryset", d.search.queryset) for d in config.content if d.search is not None and d.search.queryset
    ]
    errors = []
    for what, value in dotted:
        if not isinstance(value, str):
            continue
        try:
            import_string(value)
        except ImportError as error:
            errors.append(
                checks.Error(
                    f"'{config.label}': the {what} '{value}' does not import ({error}).", obj=config, id="iomsite.E005"
                )
            )
    return errors


def check_urls(configs):
    errors = []

    def error(message, config, hint=None):
        errors.append(checks.Error(message, hint=hint, obj=config, id="iomsite.E004"))

    seen = {}
    namespaces = get_resolver().namespace_dict
    for config in configs:
        prefix = config.url_prefix
        if not prefix:
            continue
        if "/" in prefix.strip("/") or prefix != prefix.strip("/"):
            error(f"'{config.label}': the URL prefix '{prefix}' must be one path segment, without slashes.", config)
        if prefix in content.CORE_SLUGS:
            error(f"'{config.label}': the URL prefix '{prefix}' is taken by the site itself.", config)
        if prefix in seen:
            error(f"'{config.label}' and '{seen[prefix]}' both take the URL prefix '{prefix}'.", config)
        seen[prefix] = config.label
        try:
            namespace = import_string(f"{config.urls_module}.app_name")
        except ImportError:
            error(
                f"'{config.label}': the URL module '{config.urls_module}' does not import or has no app_name.",
                config,
            )
            continue
        if namespace not in namespaces:
            error(
                f"'{config.label}': its URLs ('{namespace}' namespace) are not included in the site's URLs.",
                config,
                hint="The root URLconf includes every content app with *iomsite.content.url_patterns().",
            )
    return errors
