from django import template

from iomsite.workflow import dashboard

register = template.Library()


@register.simple_tag(takes_context=True)
def workflow_dashboard(context):
    """The admin home page lists (see ``iomsite.workflow.dashboard``)."""
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return None
    return dashboard.build(request)
