#pragma once

// hotline.survey.v1.CallbackSurveys: authorise (libs/auth/access), check the
// request's shape (domain/survey_requests.h), call the CallbackDesk, answer.
// Unary calls run on the handler pool (rpc::Answer).

#include "hotline/survey/v1/survey.grpc.pb.h"
#include "libs/auth/token_store.h"
#include "libs/rpc/handler_pool.h"
#include "services/survey/desk/callback_desk.h"

namespace hotline::survey {

class CallbackSurveysService final : public v1::CallbackSurveys::CallbackService {
 public:
  // All must outlive the service.
  CallbackSurveysService(CallbackDesk& desk, const auth::TokenStore& tokens,
                         rpc::HandlerPool& handlers);

  grpc::ServerUnaryReactor* ScheduleCallback(grpc::CallbackServerContext* context,
                                             const v1::ScheduleCallbackRequest* request,
                                             v1::CallbackTask* response) override;
  grpc::ServerUnaryReactor* NextCallback(grpc::CallbackServerContext* context,
                                         const v1::NextCallbackRequest* request,
                                         v1::NextCallbackResponse* response) override;
  grpc::ServerUnaryReactor* RecordAttempt(grpc::CallbackServerContext* context,
                                          const v1::RecordAttemptRequest* request,
                                          v1::CallbackTask* response) override;
  grpc::ServerUnaryReactor* RecordAnswer(grpc::CallbackServerContext* context,
                                         const v1::RecordAnswerRequest* request,
                                         v1::CallbackTask* response) override;
  grpc::ServerUnaryReactor* GetCallback(grpc::CallbackServerContext* context,
                                        const v1::GetCallbackRequest* request,
                                        v1::CallbackTask* response) override;
  grpc::ServerUnaryReactor* GetSurveyStats(grpc::CallbackServerContext* context,
                                           const v1::GetSurveyStatsRequest* request,
                                           v1::GetSurveyStatsResponse* response) override;

 private:
  CallbackDesk& desk_;
  const auth::TokenStore& tokens_;
  rpc::HandlerPool& handlers_;
};

}  // namespace hotline::survey
