from ninja import Router

router = Router(tags=["科技计划项目"])
