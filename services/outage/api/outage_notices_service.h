#pragma once

// hotline.outage.v1.OutageNotices: authorise (libs/auth/access), check the
// request (domain/notice_requests.h), call the NoticeDesk, answer. Unary
// calls run on the handler pool (rpc::Answer); WatchNotices is a resumable
// stream over the notice change log (libs/rpc/sequence_watch.h).

#include "hotline/outage/v1/outage.grpc.pb.h"
#include "libs/auth/token_store.h"
#include "libs/rpc/handler_pool.h"
#include "libs/rpc/wake_feed.h"
#include "services/outage/desk/notice_desk.h"
#include "services/outage/outage_settings.h"

namespace hotline::outage {

class OutageNoticesService final : public v1::OutageNotices::CallbackService {
 public:
  // All must outlive the service.
  OutageNoticesService(NoticeDesk& desk, pg::Pool& pool, rpc::WakeFeed& feed,
                       const auth::TokenStore& tokens, const OutageSettings& settings,
                       rpc::HandlerPool& handlers);

  grpc::ServerUnaryReactor* PublishNotice(grpc::CallbackServerContext* context,
                                          const v1::PublishNoticeRequest* request,
                                          v1::PublishNoticeResponse* response) override;
  grpc::ServerUnaryReactor* AmendNotice(grpc::CallbackServerContext* context,
                                        const v1::AmendNoticeRequest* request,
                                        v1::AmendNoticeResponse* response) override;
  grpc::ServerUnaryReactor* CancelNotice(grpc::CallbackServerContext* context,
                                         const v1::CancelNoticeRequest* request,
                                         v1::NoticeResponse* response) override;
  grpc::ServerUnaryReactor* StartNotice(grpc::CallbackServerContext* context,
                                        const v1::StartNoticeRequest* request,
                                        v1::NoticeResponse* response) override;
  grpc::ServerUnaryReactor* RestoreNotice(grpc::CallbackServerContext* context,
                                          const v1::RestoreNoticeRequest* request,
                                          v1::NoticeResponse* response) override;
  grpc::ServerUnaryReactor* ConfirmNotice(grpc::CallbackServerContext* context,
                                          const v1::ConfirmNoticeRequest* request,
                                          v1::NoticeResponse* response) override;
  grpc::ServerUnaryReactor* GetNotice(grpc::CallbackServerContext* context,
                                      const v1::GetNoticeRequest* request,
                                      v1::NoticeResponse* response) override;
  grpc::ServerUnaryReactor* CheckAddress(grpc::CallbackServerContext* context,
                                         const v1::CheckAddressRequest* request,
                                         v1::CheckAddressResponse* response) override;
  grpc::ServerUnaryReactor* ListNotices(grpc::CallbackServerContext* context,
                                        const v1::ListNoticesRequest* request,
                                        v1::ListNoticesResponse* response) override;
  grpc::ServerWriteReactor<v1::NoticeEvent>* WatchNotices(
      grpc::CallbackServerContext* context, const v1::WatchNoticesRequest* request) override;
  grpc::ServerUnaryReactor* GetReliability(grpc::CallbackServerContext* context,
                                           const v1::GetReliabilityRequest* request,
                                           v1::GetReliabilityResponse* response) override;

 private:
  NoticeDesk& desk_;
  pg::Pool& pool_;
  rpc::WakeFeed& feed_;
  const auth::TokenStore& tokens_;
  const OutageSettings& settings_;
  rpc::HandlerPool& handlers_;
};

}  // namespace hotline::outage
