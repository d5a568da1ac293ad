from ninja import Router

router = Router(tags=["咨询问答与通知公告"])
