from ninja import Router

router = Router(tags=["县域创新发展指数"])
