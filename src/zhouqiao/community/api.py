from ninja import Router

router = Router(tags=["专家与科技服务社区"])
