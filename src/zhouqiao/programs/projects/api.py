from ninja import Router

router = Router(tags=["项目实施与验收"])
